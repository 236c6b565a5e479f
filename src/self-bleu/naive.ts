import { bleuFromCounts } from "./bleu.js";
import { tokenize } from "./tokenize.js";
import { emptyResult, type SelfBleuResult } from "./types.js";

/** n-gram counts of one query, keyed by the tokens joined with spaces (tokens never hold spaces). */
function ngramCounts(tokens: string[], n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= tokens.length; i++) {
    const key = tokens.slice(i, i + n).join(" ");
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

function clippedMatches(candidate: Map<string, number>, reference: Map<string, number>): number {
  let matches = 0;
  for (const [gram, count] of candidate) matches += Math.min(count, reference.get(gram) ?? 0);
  return matches;
}

/**
 * The definition, executed literally: walk the queries in order and compare each with every query kept so far,
 * dropping it at the first BLEU ≥ τ. O(N²); the reference the indexed filter is tested and benchmarked against.
 */
export function naiveSelfBleu(texts: readonly string[], threshold: number): SelfBleuResult {
  const result = emptyResult(texts.length);
  const profiles = texts.map((text) => {
    const tokens = tokenize(text);
    return { length: tokens.length, grams: [1, 2, 3, 4].map((n) => ngramCounts(tokens, n)) };
  });
  const kept: number[] = [];
  for (let i = 0; i < profiles.length; i++) {
    const c = profiles[i]!;
    let similarTo = -1;
    for (const k of kept) {
      const r = profiles[k]!;
      result.verified++;
      const [m1, m2, m3, m4] = c.grams.map((grams, n) => clippedMatches(grams, r.grams[n]!));
      const bleu = bleuFromCounts(c.length, r.length, m1!, m2!, m3!, m4!);
      if (bleu >= threshold) {
        similarTo = k;
        result.bleu[i] = bleu;
        break;
      }
    }
    result.similarTo[i] = similarTo;
    if (similarTo < 0) {
      kept.push(i);
      result.kept++;
    }
  }
  return result;
}
