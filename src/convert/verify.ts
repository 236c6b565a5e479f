/**
 * Checks a converted GGUF against its checkpoint: (1) tokenization parity — tokenizer.json run by Hugging Face's
 * JavaScript tokenizer vs llama.cpp's tokenizer on the GGUF's metadata, token for token; (2) when a reference GGUF is
 * given, next-token distributions of the two files agree within the tolerance for the quantization type.
 */
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import type { GpuSetting } from "../config.js";
import { InputError, ModelLoadError } from "../errors.js";
import { compareDistributions, nextTokenDistributions } from "./logits.js";
import type { ConvertType } from "./tensor-plan.js";

/**
 * Largest mean KL(reference ‖ converted) in nats accepted against an f16 (or f32) reference. f16 rounds weights to
 * 11 significant bits (shifts of ~1e-6 nats); Q8_0 costs ~1e-4–1e-3 on Llama-3-8B; Q4_0 typically ~0.02–0.05.
 */
export const KL_TOLERANCE: Record<ConvertType, number> = { f32: 1e-4, f16: 1e-3, q8_0: 1e-2, q4_0: 0.1 };

export interface TokenizationMismatch {
  index: number;
  text: string;
  expected: number[];
  actual: number[];
}

export interface LogitsAgreement {
  reference: string;
  positions: number[];
  klMean: number;
  klMax: number;
  maxAbsProbability: number;
  topTokenAgreement: number;
  tolerance: number;
  pass: boolean;
}

export interface VerifyReport {
  tokenization: { texts: number; mismatches: TokenizationMismatch[] };
  logits?: LogitsAgreement;
  pass: boolean;
}

export interface VerifyOptions {
  /** The checkpoint folder (tokenizer.json, tokenizer_config.json). */
  dir: string;
  gguf: string;
  /** Type of `gguf`, to pick the logits tolerance. */
  type: ConvertType;
  /** A higher-precision GGUF of the same checkpoint (f16 or f32) to compare next-token distributions with. */
  reference?: string;
  /** Texts tokenized both ways (TOKENIZER_EDGE_TEXTS plus the model's own prompt shape, say). */
  texts: readonly string[];
  /** With `reference`: the prompt after which next-token distributions are compared (the model's real input shape). */
  logitsPrompt: string;
  threads?: number;
  gpu?: GpuSetting;
}

async function readJson(path: string): Promise<object> {
  try {
    return JSON.parse(await readFile(path, "utf8")) as object;
  } catch (error) {
    throw new InputError(`cannot read (${(error as Error).message})`, path);
  }
}

/** Token ids of each text from tokenizer.json (no special tokens added), via Hugging Face's JS tokenizer. */
export async function huggingFaceTokenize(dir: string, texts: readonly string[]): Promise<number[][]> {
  const { Tokenizer } = await import("@huggingface/tokenizers");
  const tokenizer = new Tokenizer(await readJson(join(dir, "tokenizer.json")), await readJson(join(dir, "tokenizer_config.json")).catch(() => ({})));
  return texts.map((text) => tokenizer.encode(text, { add_special_tokens: false }).ids);
}

/** Token ids of each text from the GGUF's own tokenizer in llama.cpp (vocabulary only; no weights are loaded). */
export async function llamaCppTokenize(path: string, texts: readonly string[]): Promise<number[][]> {
  const { getLlama, LlamaLogLevel } = await import("node-llama-cpp");
  const llama = await getLlama({ gpu: false, logLevel: LlamaLogLevel.error });
  try {
    const model = await llama.loadModel({ modelPath: path, vocabOnly: true }).catch((error: unknown) => {
      throw new ModelLoadError(`cannot load ${path}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
    });
    const ids = texts.map((text) => model.tokenize(text, false).map(Number));
    await model.dispose();
    return ids;
  } finally {
    await llama.dispose();
  }
}

export async function checkTokenization(dir: string, gguf: string, texts: readonly string[]): Promise<TokenizationMismatch[]> {
  const expected = await huggingFaceTokenize(dir, texts);
  const actual = await llamaCppTokenize(gguf, texts);
  const mismatches: TokenizationMismatch[] = [];
  texts.forEach((text, index) => {
    const a = actual[index]!;
    const e = expected[index]!;
    if (a.length !== e.length || a.some((id, i) => id !== e[i])) mismatches.push({ index, text, expected: e, actual: a });
  });
  return mismatches;
}

/** Compares next-token distributions of `gguf` and `reference` after `prompt` (the model's real input shape), at 8 spread positions. */
export async function checkLogits(gguf: string, reference: string, type: ConvertType, options: { dir: string; prompt: string; threads?: number; gpu?: GpuSetting }): Promise<LogitsAgreement> {
  const [tokens] = await huggingFaceTokenize(options.dir, [options.prompt]);
  const ids = tokens!.slice(0, 256);
  const positions = Array.from({ length: 8 }, (_, i) => Math.round(((i + 1) * (ids.length - 1)) / 8));
  const ref = await nextTokenDistributions(reference, ids, positions, options);
  const cand = await nextTokenDistributions(gguf, ids, positions, options);
  const agreements = positions.map((_, i) => compareDistributions(ref[i]!, cand[i]!));
  const klMean = agreements.reduce((a, b) => a + b.kl, 0) / agreements.length;
  const tolerance = KL_TOLERANCE[type];
  return {
    reference,
    positions,
    klMean,
    klMax: Math.max(...agreements.map((a) => a.kl)),
    maxAbsProbability: Math.max(...agreements.map((a) => a.maxAbs)),
    topTokenAgreement: agreements.filter((a) => a.sameTop).length / agreements.length,
    tolerance,
    pass: klMean <= tolerance,
  };
}

export async function verifyConversion(options: VerifyOptions): Promise<VerifyReport> {
  const { texts } = options;
  const mismatches = await checkTokenization(options.dir, options.gguf, texts);
  const logits = options.reference ? await checkLogits(options.gguf, options.reference, options.type, { ...options, prompt: options.logitsPrompt }) : undefined;
  return { tokenization: { texts: texts.length, mismatches }, logits, pass: mismatches.length === 0 && (logits?.pass ?? true) };
}
