/**
 * The self-BLEU tokenizer, part of the filter's definition: maximal runs of Unicode letters and decimal digits,
 * each lower-cased. Marks, punctuation, symbols and spaces separate tokens. Lower-casing happens per token (after
 * splitting) so a case mapping that produces a combining mark (İ → i̇) cannot split a token.
 */
const TOKEN = /[\p{L}\p{Nd}]+/gu;
const LETTER_OR_DIGIT = /[\p{L}\p{Nd}]/u;

export function tokenize(text: string): string[] {
  const runs = text.match(TOKEN);
  if (!runs) return [];
  for (let i = 0; i < runs.length; i++) runs[i] = runs[i]!.toLowerCase();
  return runs;
}

/** True when the text has at least one token (at least one letter or digit). */
export function hasLetterOrDigit(text: string): boolean {
  return LETTER_OR_DIGIT.test(text);
}
