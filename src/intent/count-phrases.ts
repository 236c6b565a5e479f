/**
 * Phrases that state a count without a number word: "a pair of boots" keeps the query's 2, "a dozen eggs" its 12.
 * Only these; "dogs" never keeps "three dogs".
 */
const COUNT_PHRASES: Record<string, RegExp> = {
  "2": /\b(?:(?:a|one) (?:pair|couple) of|both|twins?|duo|twosome)\b/,
  "3": /\b(?:a trio of|trio|triplets|threesome)\b/,
  "12": /\b(?:a dozen|one dozen)\b/,
};

/** True when the lower-case prompt states count `n` (digits) with a phrase instead of a number. */
export function hasCountPhrase(n: string, prompt: string): boolean {
  return COUNT_PHRASES[n]?.test(prompt) ?? false;
}
