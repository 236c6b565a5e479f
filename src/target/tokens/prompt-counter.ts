import type { TokenizerKind } from "../types.js";

/** How many tokens a prompt takes in a video model's text encoder, special tokens included. */
export interface PromptTokenCounter {
  counted: "exact" | "estimate";
  /** The tokenizer file, or how the estimate is made (goes into results and reports). */
  source: string;
  count(text: string): number;
}

/**
 * Tokens the encoder adds to every prompt and counts against its limit: T5-family tokenizers append "</s>" (a 226-
 * token CogVideoX limit leaves 225 for the text). The decoder-only encoders (Llama, Qwen) wrap the prompt in a
 * template whose tokens are cropped before the limit applies, so they add none.
 */
export function encoderSpecialTokens(kind: TokenizerKind): number {
  return kind === "t5" || kind === "umt5" || kind === "byt5" ? 1 : 0;
}
