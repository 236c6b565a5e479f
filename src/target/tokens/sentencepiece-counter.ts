import { createRequire } from "node:module";
import { InputError } from "../../errors.js";
import type { TokenizerKind } from "../types.js";
import { encoderSpecialTokens, type PromptTokenCounter } from "./prompt-counter.js";

interface SentencePieceProcessor {
  load(path: string): Promise<void>;
  encodeIds(text: string): number[];
}

// The package is CommonJS with an Emscripten build; require keeps its module-level setup as it expects.
const { SentencePieceProcessor: Processor } = createRequire(import.meta.url)("@agnai/sentencepiece-js") as { SentencePieceProcessor: new () => SentencePieceProcessor };

/**
 * Exact counts from a SentencePiece model (T5's spiece.model, umT5's, any tokenizer.model), as the video model's
 * tokenizer encodes it, plus the encoder's special tokens. The library ignores a failed load (it then encodes
 * everything to nothing), so a probe checks that the file was a model.
 */
export async function sentencePieceCounter(path: string, kind: TokenizerKind): Promise<PromptTokenCounter> {
  const processor = new Processor();
  try {
    await processor.load(path);
  } catch (error) {
    throw new InputError(`cannot load SentencePiece model: ${(error as Error).message}`, path);
  }
  if (processor.encodeIds("a").length === 0) throw new InputError("not a SentencePiece model (it encodes nothing)", path);
  const specials = encoderSpecialTokens(kind);
  return { counted: "exact", source: path, count: (text) => (text ? processor.encodeIds(text).length : 0) + specials };
}
