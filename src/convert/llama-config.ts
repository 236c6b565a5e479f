/** config.json of a Llama-architecture checkpoint → the hyper-parameters llama.cpp reads from GGUF metadata. */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { InputError } from "../errors.js";
import { gguf, type GgufValue } from "../gguf/types.js";

const LLAMA_ARCHITECTURES = ["LlamaForCausalLM", "LLaMAForCausalLM"];

const ropeScalingSchema = z
  .object({
    rope_type: z.string().optional(),
    type: z.string().optional(),
    factor: z.number().optional(),
    low_freq_factor: z.number().optional(),
    high_freq_factor: z.number().optional(),
    original_max_position_embeddings: z.number().optional(),
  })
  .nullish();

const configSchema = z.object({
  architectures: z.array(z.string()).optional(),
  model_type: z.string().optional(),
  hidden_size: z.number().int().positive(),
  intermediate_size: z.number().int().positive(),
  num_hidden_layers: z.number().int().positive(),
  num_attention_heads: z.number().int().positive(),
  num_key_value_heads: z.number().int().positive().optional(),
  head_dim: z.number().int().positive().nullish(),
  vocab_size: z.number().int().positive(),
  max_position_embeddings: z.number().int().positive().optional(),
  rms_norm_eps: z.number().positive().optional(),
  rope_theta: z.number().positive().optional(),
  rope_scaling: ropeScalingSchema,
  tie_word_embeddings: z.boolean().optional(),
  attention_bias: z.boolean().optional(),
  mlp_bias: z.boolean().optional(),
});

export interface LlamaRopeScaling {
  type: string;
  factor: number;
  lowFreqFactor: number;
  highFreqFactor: number;
  originalContext: number;
}

export interface LlamaHyperParams {
  embedding: number;
  feedForward: number;
  layers: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  vocabSize: number;
  context: number;
  rmsEps: number;
  ropeTheta: number;
  ropeScaling?: LlamaRopeScaling;
  tiedEmbeddings: boolean;
}

export async function readLlamaConfig(dir: string): Promise<LlamaHyperParams> {
  const path = join(dir, "config.json");
  let json: unknown;
  try {
    json = JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    throw new InputError(e.code === "ENOENT" ? "not found (a Hugging Face checkpoint folder has one)" : `not valid JSON (${e.message})`, path);
  }
  return parseLlamaConfig(json, path);
}

export function parseLlamaConfig(json: unknown, path = "config.json"): LlamaHyperParams {
  const parsed = configSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new InputError(`${issue.path.join(".") || "(root)"}: ${issue.message}`, path);
  }
  const c = parsed.data;
  const arch = c.architectures?.[0];
  if ((arch && !LLAMA_ARCHITECTURES.includes(arch)) || (!arch && c.model_type !== "llama")) {
    throw new InputError(`architecture ${arch ?? c.model_type ?? "unknown"} is not supported; vpo converts Llama-architecture models (LlamaForCausalLM)`, path);
  }
  if (c.attention_bias || c.mlp_bias) throw new InputError("attention_bias / mlp_bias checkpoints are not supported", path);
  const kvHeads = c.num_key_value_heads ?? c.num_attention_heads;
  if (c.num_attention_heads % kvHeads !== 0) throw new InputError(`num_attention_heads ${c.num_attention_heads} is not a multiple of num_key_value_heads ${kvHeads}`, path);
  const headDim = c.head_dim ?? c.hidden_size / c.num_attention_heads;
  if (!Number.isInteger(headDim) || headDim % 2 !== 0) throw new InputError(`head dimension ${headDim} must be an even integer`, path);
  const scaling = c.rope_scaling;
  const scalingType = scaling?.rope_type ?? scaling?.type;
  let ropeScaling: LlamaRopeScaling | undefined;
  if (scaling && scalingType && scalingType !== "default") {
    if (scalingType !== "llama3" && scalingType !== "linear") throw new InputError(`rope_scaling type "${scalingType}" is not supported (llama3 and linear are)`, path);
    ropeScaling = {
      type: scalingType,
      factor: scaling.factor ?? (scalingType === "llama3" ? 8 : 1),
      lowFreqFactor: scaling.low_freq_factor ?? 1,
      highFreqFactor: scaling.high_freq_factor ?? 4,
      originalContext: scaling.original_max_position_embeddings ?? 8192,
    };
  }
  return {
    embedding: c.hidden_size,
    feedForward: c.intermediate_size,
    layers: c.num_hidden_layers,
    heads: c.num_attention_heads,
    kvHeads,
    headDim,
    vocabSize: c.vocab_size,
    context: c.max_position_embeddings ?? 4096,
    rmsEps: c.rms_norm_eps ?? 1e-6,
    ropeTheta: c.rope_theta ?? 10000,
    ropeScaling,
    tiedEmbeddings: c.tie_word_embeddings ?? false,
  };
}

/** The `llama.*` GGUF keys, as llama.cpp's converter writes them. */
export function llamaMetadata(hp: LlamaHyperParams): [string, GgufValue][] {
  const entries: [string, GgufValue][] = [
    ["llama.vocab_size", gguf.u32(hp.vocabSize)],
    ["llama.context_length", gguf.u32(hp.context)],
    ["llama.embedding_length", gguf.u32(hp.embedding)],
    ["llama.block_count", gguf.u32(hp.layers)],
    ["llama.feed_forward_length", gguf.u32(hp.feedForward)],
    ["llama.attention.head_count", gguf.u32(hp.heads)],
    ["llama.attention.head_count_kv", gguf.u32(hp.kvHeads)],
    ["llama.rope.freq_base", gguf.f32(hp.ropeTheta)],
    ["llama.attention.layer_norm_rms_epsilon", gguf.f32(hp.rmsEps)],
    ["llama.rope.dimension_count", gguf.u32(hp.headDim)],
  ];
  if (hp.headDim !== hp.embedding / hp.heads) {
    entries.push(["llama.attention.key_length", gguf.u32(hp.headDim)], ["llama.attention.value_length", gguf.u32(hp.headDim)]);
  }
  if (hp.ropeScaling?.type === "linear") {
    entries.push(["llama.rope.scaling.type", gguf.string("linear")], ["llama.rope.scaling.factor", gguf.f32(hp.ropeScaling.factor)]);
  }
  return entries;
}

/**
 * Llama 3.1-style rope scaling is not a metadata key in llama.cpp but a `rope_freqs.weight` tensor of per-frequency
 * divisors: 1 for short wavelengths, `factor` for long ones, and a smooth blend in between.
 */
export function llama3RopeFactors(hp: LlamaHyperParams): Float32Array | undefined {
  const s = hp.ropeScaling;
  if (s?.type !== "llama3") return undefined;
  const lowWavelen = s.originalContext / s.lowFreqFactor;
  const highWavelen = s.originalContext / s.highFreqFactor;
  const out = new Float32Array(hp.headDim / 2);
  for (let i = 0; i < out.length; i++) {
    const freq = 1 / Math.fround(hp.ropeTheta ** Math.fround((2 * i) / hp.headDim));
    const wavelen = (2 * Math.PI) / freq;
    if (wavelen < highWavelen) out[i] = 1;
    else if (wavelen > lowWavelen) out[i] = s.factor;
    else {
      const smooth = (s.originalContext / wavelen - s.lowFreqFactor) / (s.highFreqFactor - s.lowFreqFactor);
      out[i] = 1 / ((1 - smooth) / s.factor + smooth);
    }
  }
  return out;
}
