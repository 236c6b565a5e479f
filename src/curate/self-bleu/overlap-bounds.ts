import { bleuUpperBound, mayReach } from "./bleu.js";

/** Reference lengths a candidate of length L can reach τ against, and the unigram overlap each one needs. */
export interface CandidateWindow {
  minReference: number;
  maxReference: number;
  /** needed[R − minReference] = least clipped unigram overlap m1 with which BLEU could reach τ. */
  needed: Int32Array;
  /** How many of the candidate's rarest elements must be probed (L − min(needed) + 1; 0 = it matches nothing). */
  probePrefix: number;
}

const EMPTY: CandidateWindow = { minReference: 1, maxReference: 0, needed: new Int32Array(0), probePrefix: 0 };

/**
 * Length and overlap filters derived from the BLEU upper bound: with only the lengths L, R and the unigram overlap
 * m1 known, BLEU ≤ bleuUpperBound(L, R, m1), which rises with m1. So a pair needs m1 ≥ minOverlap(L, R), and a
 * pair where even m1 = min(L, R) cannot reach τ is impossible (the length filter). Tables are cached per length.
 */
export class OverlapBounds {
  private readonly windows = new Map<number, CandidateWindow>();
  private readonly prefixes = new Map<number, number>();

  constructor(readonly threshold: number) {}

  /** The least m1 at which BLEU could reach τ, or 0 when no overlap can (the lengths alone rule it out). */
  minOverlap(candidateLength: number, referenceLength: number): number {
    const most = Math.min(candidateLength, referenceLength);
    if (most === 0 || !mayReach(bleuUpperBound(candidateLength, referenceLength, most), this.threshold)) return 0;
    // The bound is strictly increasing in m1 (consecutive values differ far beyond rounding), so bisect.
    let lo = 1;
    let hi = most;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (mayReach(bleuUpperBound(candidateLength, referenceLength, mid), this.threshold)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  forCandidate(length: number): CandidateWindow {
    let window = this.windows.get(length);
    if (!window) {
      window = this.buildWindow(length);
      this.windows.set(length, window);
    }
    return window;
  }

  /**
   * How many of a kept query's rarest elements go into the index: R − t + 1, where t is the least overlap any
   * candidate length needs against it. For L ≥ R the needed overlap rises with L (p1 and p_n fall, BP stays 1), so
   * only L ≤ R must be scanned, downwards until the brevity penalty alone rules L out.
   */
  indexPrefix(referenceLength: number): number {
    let prefix = this.prefixes.get(referenceLength);
    if (prefix === undefined) {
      let least = Infinity;
      for (let length = referenceLength; length >= 1; length--) {
        const need = this.minOverlap(length, referenceLength);
        if (need === 0) break;
        least = Math.min(least, need);
      }
      prefix = least === Infinity ? 0 : referenceLength - least + 1;
      this.prefixes.set(referenceLength, prefix);
    }
    return prefix;
  }

  private buildWindow(length: number): CandidateWindow {
    if (length === 0) return EMPTY;
    // Feasibility falls with R above L (brevity penalty) and rises with R below L (p1 ≤ R/L), so it is an interval.
    let maxReference = length;
    while (this.minOverlap(length, maxReference + 1) > 0) maxReference++;
    let minReference = length;
    while (minReference > 1 && this.minOverlap(length, minReference - 1) > 0) minReference--;
    if (this.minOverlap(length, length) === 0) return EMPTY;
    const needed = new Int32Array(maxReference - minReference + 1);
    let least = Infinity;
    for (let r = minReference; r <= maxReference; r++) {
      needed[r - minReference] = this.minOverlap(length, r);
      least = Math.min(least, needed[r - minReference]!);
    }
    return { minReference, maxReference, needed, probePrefix: length - least + 1 };
  }
}
