import type { TokenizerKind } from "../types.js";
import { encoderSpecialTokens, type PromptTokenCounter } from "./prompt-counter.js";

/** Characters per token the estimate assumes for text outside the CJK scripts. */
export const ESTIMATE_CHARS_PER_TOKEN = 3;

// Han, Hiragana, Katakana, Hangul: a SentencePiece or BPE vocabulary spends about a token per character on them
// (T5's English vocabulary maps each to <unk>), so each counts as one token.
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/gu;

/**
 * An upper bound on a prompt's tokens without its tokenizer: ceil(other characters / 3) + one per CJK character +
 * the encoder's special tokens. On all 358 VBench `*_longer` prompts (GPT-4o rewrites, 79–211 words) it is at least
 * the exact count under a 32k SentencePiece vocabulary (T5's size class; worst case 3.32 characters per token) and
 * under Llama 3's BPE (test/target-token-bound.test.ts prints the margins).
 */
export function estimateTokens(text: string, kind: TokenizerKind): number {
  let cjk = 0;
  const rest = text.replace(CJK, () => (cjk++, ""));
  return Math.ceil([...rest].length / ESTIMATE_CHARS_PER_TOKEN) + cjk + encoderSpecialTokens(kind);
}

export function estimatedPromptCounter(kind: TokenizerKind): PromptTokenCounter {
  return {
    counted: "estimate",
    source: `estimate: ceil(characters / ${ESTIMATE_CHARS_PER_TOKEN}) + 1 per CJK character + ${encoderSpecialTokens(kind)} special`,
    count: (text) => estimateTokens(text, kind),
  };
}
