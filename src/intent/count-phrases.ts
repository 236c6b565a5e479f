/**
 * Phrases that state a count without a number word: "a pair of boots" keeps the query's 2, "a dozen eggs" its 12.
 * Only these; "dogs" never keeps "three dogs".
 */
const COUNT_PHRASES: Record<string, RegExp> = {
  // Not "both" or "twin": "both hands", "twin towers" say nothing about the query's two dogs.
  "2": /\b(?:(?:a|one) (?:pair|couple) of|duo|twosome)\b/,
  "3": /\b(?:a trio of|trio|triplets|threesome)\b/,
  "12": /\b(?:a dozen|one dozen)\b/,
};

/** True when the lower-case prompt states count `n` (digits) with a phrase instead of a number. */
export function hasCountPhrase(n: string, prompt: string): boolean {
  return COUNT_PHRASES[n]?.test(prompt) ?? false;
}
