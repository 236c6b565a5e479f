import { existsSync } from "node:fs";
import { stat } from "node:fs/promises";
import { join } from "node:path";
import { InputError } from "../../errors.js";
import { loadTokenCounter } from "../../train/tokens/token-counter.js";
import type { TokenizerKind } from "../types.js";
import { estimatedPromptCounter } from "./estimate.js";
import { encoderSpecialTokens, type PromptTokenCounter } from "./prompt-counter.js";
import { sentencePieceCounter } from "./sentencepiece-counter.js";

const SENTENCEPIECE_NAMES = ["spiece.model", "tokenizer.model", "sentencepiece.bpe.model"];

/** The tokenizer file a model folder holds: tokenizer.json first, then a SentencePiece model. */
function tokenizerInFolder(dir: string): string {
  for (const name of ["tokenizer.json", ...SENTENCEPIECE_NAMES]) if (existsSync(join(dir, name))) return join(dir, name);
  throw new InputError(`folder has no tokenizer.json or SentencePiece model (${SENTENCEPIECE_NAMES.join(", ")})`, dir);
}

/**
 * The counter for --target-tokenizer PATH: a tokenizer.json (counted with @huggingface/tokenizers), a SentencePiece
 * .model (@agnai/sentencepiece-js), or a folder holding one (a text encoder's `tokenizer/` folder). Without a path,
 * the estimate with its tested upper bound.
 */
export async function openPromptCounter(kind: TokenizerKind, path?: string): Promise<PromptTokenCounter> {
  if (!path) return estimatedPromptCounter(kind);
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new InputError("no such tokenizer file", path);
  const file = info.isDirectory() ? tokenizerInFolder(path) : path;
  if (!/\.(json|gguf)$/i.test(file)) return sentencePieceCounter(file, kind);
  const counter = await loadTokenCounter(file);
  const specials = encoderSpecialTokens(kind);
  return { counted: "exact", source: counter.source, count: (text) => counter.count(text) + specials };
}
