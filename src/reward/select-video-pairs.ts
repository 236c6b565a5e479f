import type { Answer } from "./types.js";

/** A candidate prompt of one query with its video's reward. */
export interface ScoredCandidate {
  /** Its position among the query's K samples (candidate order decides ties under the "first" policy). */
  index: number;
  prompt: string;
  score: number;
  answers?: readonly Answer[];
}

export const VIDEO_PAIR_POLICIES = ["first", "max-margin"] as const;
export type VideoPairPolicy = (typeof VIDEO_PAIR_POLICIES)[number];

export interface VideoPairRule {
  /** The score gap a pair must exceed (default 0.5). */
  minGap?: number;
  /**
   * "first" (default): the official recipe — the first (chosen, rejected) in candidate order, chosen scanned in the
   * outer loop. "max-margin": of the qualifying pairs, the one with the largest score gap (ties: candidate order).
   */
  policy?: VideoPairPolicy;
}

export interface VideoPair {
  chosen: ScoredCandidate;
  rejected: ScoredCandidate;
  gap: number;
}

/** Strict dominance: `a` is at least as good on every answer ("yes" ≥ "no") and better on at least one. */
export function dominates(a: readonly Answer[], b: readonly Answer[]): boolean {
  if (a.length !== b.length) return false;
  let better = false;
  for (let i = 0; i < a.length; i++) {
    if (a[i] === "no" && b[i] === "yes") return false;
    if (a[i] === "yes" && b[i] === "no") better = true;
  }
  return better;
}

/**
 * Whether (chosen, rejected) is a valid video-level pair: the score gap exceeds `minGap` and, when both have
 * checklist answers, chosen strictly dominates rejected. Scalar rewards (no answers) use the gap rule alone; a
 * candidate with answers and one without are not comparable.
 */
export function qualifiesAsVideoPair(chosen: ScoredCandidate, rejected: ScoredCandidate, minGap = 0.5): boolean {
  if (!(chosen.score - rejected.score > minGap)) return false;
  if (chosen.answers && rejected.answers) return dominates(chosen.answers, rejected.answers);
  return !chosen.answers && !rejected.answers;
}

/** At most one video-level pair for one query's scored candidates (the VisionReward rule of the VPO recipe). */
export function selectVideoPair(candidates: readonly ScoredCandidate[], rule: VideoPairRule = {}): VideoPair | undefined {
  const minGap = rule.minGap ?? 0.5;
  let best: VideoPair | undefined;
  for (const chosen of candidates) {
    for (const rejected of candidates) {
      if (chosen === rejected || !qualifiesAsVideoPair(chosen, rejected, minGap)) continue;
      const pair = { chosen, rejected, gap: chosen.score - rejected.score };
      if ((rule.policy ?? "first") === "first") return pair;
      if (!best || pair.gap > best.gap) best = pair;
    }
  }
  return best;
}

/** `selectVideoPair` over many queries: one entry per query that yields a pair, in input order. */
export function selectVideoPairs<Q>(queries: readonly { query: Q; candidates: readonly ScoredCandidate[] }[], rule: VideoPairRule = {}): { query: Q; pair: VideoPair }[] {
  const out: { query: Q; pair: VideoPair }[] = [];
  for (const { query, candidates } of queries) {
    const pair = selectVideoPair(candidates, rule);
    if (pair) out.push({ query, pair });
  }
  return out;
}
