/**
 * Sentence BLEU-4 of a candidate against one reference, from clipped n-gram match counts. Both the naive reference
 * and the indexed filter call this one function, so equal counts give bit-identical scores.
 *
 * l_n = max(L − n + 1, 0); p1 = m1 / L; p_n = (m_n + 1) / (l_n + 1) for n = 2..4;
 * BP = 1 if L > R else exp(1 − R / L); BLEU = BP · (p1·p2·p3·p4)^(1/4), and 0 when m1 = 0.
 */
export function bleuFromCounts(candidateLength: number, referenceLength: number, m1: number, m2: number, m3: number, m4: number): number {
  if (m1 === 0) return 0;
  const c = candidateLength;
  const product =
    (m1 / c) *
    ((m2 + 1) / (Math.max(c - 1, 0) + 1)) *
    ((m3 + 1) / (Math.max(c - 2, 0) + 1)) *
    ((m4 + 1) / (Math.max(c - 3, 0) + 1));
  const brevity = c > referenceLength ? 1 : Math.exp(1 - referenceLength / c);
  return brevity * Math.pow(product, 0.25);
}

/**
 * Relative slack for pruning. Every factor of the formula is monotone in the counts, so a bound computed with
 * larger counts is larger up to rounding; pruning only below τ·(1 − slack) keeps the indexed filter exact even if
 * Math.pow or Math.exp were off by a few ulps in the wrong direction.
 */
const PRUNE_SLACK = 1e-9;

export function mayReach(bound: number, threshold: number): boolean {
  return bound >= threshold * (1 - PRUNE_SLACK);
}

/**
 * An upper bound on BLEU from the lengths and the counts known so far (`known` = [m1] or [m1, m2] or [m1, m2, m3]).
 * It rests on m_n ≤ m_{n−1} (group the n-grams by their first n−1 tokens: each group matches at most as often as
 * its prefix), m_n ≤ l_n and m_n ≤ max(R − n + 1, 0).
 */
export function bleuUpperBound(candidateLength: number, referenceLength: number, ...known: number[]): number {
  const counts = [known[0] ?? candidateLength, 0, 0, 0];
  for (let n = 2; n <= 4; n++) {
    const cap = Math.min(counts[n - 2]!, Math.max(candidateLength - n + 1, 0), Math.max(referenceLength - n + 1, 0));
    counts[n - 1] = n - 1 < known.length ? Math.min(known[n - 1]!, cap) : cap;
  }
  return bleuFromCounts(candidateLength, referenceLength, counts[0]!, counts[1]!, counts[2]!, counts[3]!);
}
