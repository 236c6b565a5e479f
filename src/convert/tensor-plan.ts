/**
 * Which GGUF tensor each checkpoint tensor becomes: llama.cpp's names, ggml dimension order, output type, and the
 * rotary permutation of Q and K. Checks every shape against config.json before anything is written.
 */
import { InputError } from "../errors.js";
import { GgmlType } from "../gguf/types.js";
import type { OutputGgmlType } from "./convert-chunk.js";
import { isSourceDtype, type SourceDtype } from "./dtype.js";
import type { LlamaHyperParams } from "./llama-config.js";
import type { SafetensorsEntry } from "./safetensors.js";

/** Output file types: llama.cpp's MOSTLY_* file types, named as llama.cpp's tools name them. */
export const CONVERT_TYPES = ["f32", "f16", "q8_0", "q4_0"] as const;
export type ConvertType = (typeof CONVERT_TYPES)[number];

/** general.file_type values (llama_ftype). */
export const FILE_TYPE_IDS: Record<ConvertType, number> = { f32: 0, f16: 1, q4_0: 2, q8_0: 7 };

export interface PlannedTensor {
  name: string;
  /** ggml order: dims[0] is the row length. */
  dims: number[];
  type: OutputGgmlType;
  /** Where the data comes from: a checkpoint tensor, or values computed at conversion time. */
  source: { entry: SafetensorsEntry; dtype: SourceDtype } | { values: Float32Array };
  permuteHeadDim?: number;
}

const LAYER_TENSORS: Record<string, { gguf: string; shape: (hp: LlamaHyperParams) => number[]; permute?: boolean }> = {
  "input_layernorm.weight": { gguf: "attn_norm.weight", shape: (hp) => [hp.embedding] },
  "self_attn.q_proj.weight": { gguf: "attn_q.weight", shape: (hp) => [hp.heads * hp.headDim, hp.embedding], permute: true },
  "self_attn.k_proj.weight": { gguf: "attn_k.weight", shape: (hp) => [hp.kvHeads * hp.headDim, hp.embedding], permute: true },
  "self_attn.v_proj.weight": { gguf: "attn_v.weight", shape: (hp) => [hp.kvHeads * hp.headDim, hp.embedding] },
  "self_attn.o_proj.weight": { gguf: "attn_output.weight", shape: (hp) => [hp.embedding, hp.heads * hp.headDim] },
  "post_attention_layernorm.weight": { gguf: "ffn_norm.weight", shape: (hp) => [hp.embedding] },
  "mlp.gate_proj.weight": { gguf: "ffn_gate.weight", shape: (hp) => [hp.feedForward, hp.embedding] },
  "mlp.up_proj.weight": { gguf: "ffn_up.weight", shape: (hp) => [hp.feedForward, hp.embedding] },
  "mlp.down_proj.weight": { gguf: "ffn_down.weight", shape: (hp) => [hp.embedding, hp.feedForward] },
};

/** Checkpoint tensors llama.cpp recomputes itself. */
const IGNORED = /(^|\.)rotary_emb\.inv_freq$/;

function outputType(type: ConvertType, shape: number[], ggufName: string): OutputGgmlType {
  if (shape.length < 2) return GgmlType.F32; // norms: llama.cpp only handles them in f32
  const blockable = shape[shape.length - 1]! % 32 === 0;
  switch (type) {
    case "f32": return GgmlType.F32;
    case "f16": return GgmlType.F16;
    case "q8_0": return blockable ? GgmlType.Q8_0 : GgmlType.F16;
    // The output projection is the most quantization-sensitive matrix; llama.cpp gives it more bits too.
    case "q4_0": return !blockable ? GgmlType.F16 : ggufName === "output.weight" ? GgmlType.Q8_0 : GgmlType.Q4_0;
  }
}

export function planTensors(tensors: Map<string, SafetensorsEntry>, hp: LlamaHyperParams, type: ConvertType, ropeFactors?: Float32Array): PlannedTensor[] {
  const wanted: { hf: string; gguf: string; shape: number[]; permute?: boolean }[] = [
    { hf: "model.embed_tokens.weight", gguf: "token_embd.weight", shape: [hp.vocabSize, hp.embedding] },
  ];
  for (let i = 0; i < hp.layers; i++) {
    for (const [suffix, t] of Object.entries(LAYER_TENSORS)) {
      wanted.push({ hf: `model.layers.${i}.${suffix}`, gguf: `blk.${i}.${t.gguf}`, shape: t.shape(hp), permute: t.permute });
    }
  }
  wanted.push({ hf: "model.norm.weight", gguf: "output_norm.weight", shape: [hp.embedding] });
  const hasHead = tensors.has("lm_head.weight");
  if (hasHead || !hp.tiedEmbeddings) wanted.push({ hf: "lm_head.weight", gguf: "output.weight", shape: [hp.vocabSize, hp.embedding] });

  const planned: PlannedTensor[] = [];
  for (const w of wanted) {
    const entry = tensors.get(w.hf);
    if (!entry) throw new InputError(`checkpoint has no tensor ${w.hf} (config.json says ${hp.layers} layers)`);
    if (!isSourceDtype(entry.dtype)) throw new InputError(`tensor ${w.hf} is ${entry.dtype}; only F32, F16 and BF16 checkpoints convert`, entry.file);
    if (entry.shape.join("x") !== w.shape.join("x")) {
      throw new InputError(`tensor ${w.hf} has shape [${entry.shape.join(", ")}] but config.json implies [${w.shape.join(", ")}]`, entry.file);
    }
    planned.push({
      name: w.gguf,
      dims: [...w.shape].reverse(),
      type: outputType(type, w.shape, w.gguf),
      source: { entry, dtype: entry.dtype },
      permuteHeadDim: w.permute ? hp.headDim : undefined,
    });
  }
  if (ropeFactors) planned.splice(1, 0, { name: "rope_freqs.weight", dims: [ropeFactors.length], type: GgmlType.F32, source: { values: ropeFactors } });

  const used = new Set(wanted.map((w) => w.hf));
  const extra = [...tensors.keys()].filter((n) => !used.has(n) && !IGNORED.test(n));
  if (extra.length) {
    throw new InputError(`checkpoint has tensors a plain Llama model does not (${extra.slice(0, 5).join(", ")}${extra.length > 5 ? ", …" : ""}); is config.json for this checkpoint?`);
  }
  return planned;
}
