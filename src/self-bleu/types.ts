/** What the self-BLEU filter decided for each query, by position in its input list. */
export interface SelfBleuResult {
  /** -1 when kept; otherwise the position of the earliest kept query it is too similar to. */
  similarTo: Int32Array;
  /** BLEU against `similarTo` for dropped queries; 0 for kept ones. */
  bleu: Float64Array;
  kept: number;
  /** Pairs whose n-gram counts were computed (the naive walk computes one per kept query per candidate). */
  verified: number;
}

export interface SelfBleuProgress {
  done: number;
  total: number;
  kept: number;
}

export function emptyResult(size: number): SelfBleuResult {
  return { similarTo: new Int32Array(size).fill(-1), bleu: new Float64Array(size), kept: 0, verified: 0 };
}
