import { bleuUpperBound, mayReach } from "./bleu.js";

/** No overlap lets BLEU reach τ at these lengths. */
export const INFEASIBLE = -1;

/** Reference lengths a candidate of length L can reach τ against, with the overlaps each length needs. */
export interface CandidateWindow {
  minReference: number;
  maxReference: number;
  /** neededUnigrams[R − minReference]: least clipped unigram matches m1 that could reach τ. */
  neededUnigrams: Int32Array;
  /** neededBigrams[R − minReference]: least clipped bigram matches m2 that could reach τ (0: none needed). */
  neededBigrams: Int32Array;
  /** How many of the candidate's rarest unigram / bigram elements to probe each index with (0: skip). */
  unigramProbe: number;
  bigramProbe: number;
}

/** How a kept query of length R is indexed: by unigrams when some candidate could match it without a shared bigram. */
export interface ReferencePlan {
  level: 1 | 2;
  prefix: number;
}

const EMPTY: CandidateWindow = { minReference: 1, maxReference: 0, neededUnigrams: new Int32Array(0), neededBigrams: new Int32Array(0), unigramProbe: 0, bigramProbe: 0 };

/** Least k in [lo, hi] with ok(k), for ok monotone in k (the bound's steps are far larger than rounding), else −1. */
function least(lo: number, hi: number, ok: (k: number) => boolean): number {
  if (lo > hi || !ok(hi)) return INFEASIBLE;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (ok(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Length and overlap filters from the BLEU upper bound. With lengths L, R and the clipped matches known so far,
 * BLEU ≤ bleuUpperBound(L, R, m1[, m2]), which rises with each count. So a pair needs m1 ≥ neededUnigrams and
 * m2 ≥ neededBigrams (taking m1 at its maximum), and lengths where even full overlap falls short are ruled out.
 * Tables are cached per length.
 */
export class OverlapBounds {
  private readonly windows = new Map<number, CandidateWindow>();
  private readonly plans = new Map<number, ReferencePlan>();

  constructor(readonly threshold: number) {}

  private reaches(l: number, r: number, ...counts: number[]): boolean {
    return mayReach(bleuUpperBound(l, r, ...counts), this.threshold);
  }

  neededUnigrams(candidateLength: number, referenceLength: number): number {
    return least(1, Math.min(candidateLength, referenceLength), (k) => this.reaches(candidateLength, referenceLength, k));
  }

  neededBigrams(candidateLength: number, referenceLength: number): number {
    if (this.neededUnigrams(candidateLength, referenceLength) === INFEASIBLE) return INFEASIBLE;
    const m1 = Math.min(candidateLength, referenceLength);
    const most = Math.min(Math.max(candidateLength - 1, 0), Math.max(referenceLength - 1, 0));
    return least(0, most, (k) => this.reaches(candidateLength, referenceLength, m1, k));
  }

  /**
   * Feasibility falls with R above L (brevity penalty) and rises with R below L (p1 ≤ R/L), so the reachable
   * reference lengths form an interval around L.
   */
  forCandidate(length: number): CandidateWindow {
    const cached = this.windows.get(length);
    if (cached) return cached;
    let window = EMPTY;
    if (length > 0 && this.neededUnigrams(length, length) !== INFEASIBLE) {
      let maxReference = length;
      while (this.neededUnigrams(length, maxReference + 1) !== INFEASIBLE) maxReference++;
      let minReference = length;
      while (minReference > 1 && this.neededUnigrams(length, minReference - 1) !== INFEASIBLE) minReference--;
      const size = maxReference - minReference + 1;
      const neededUnigrams = new Int32Array(size);
      const neededBigrams = new Int32Array(size);
      let leastUnigrams = Infinity;
      let leastBigrams = Infinity;
      for (let r = minReference; r <= maxReference; r++) {
        neededUnigrams[r - minReference] = this.neededUnigrams(length, r);
        neededBigrams[r - minReference] = this.neededBigrams(length, r);
        // Each index only holds references of one plan, so each probe needs only the overlaps of those lengths.
        if (this.referencePlan(r).level === 1) leastUnigrams = Math.min(leastUnigrams, neededUnigrams[r - minReference]!);
        else leastBigrams = Math.min(leastBigrams, neededBigrams[r - minReference]!);
      }
      window = {
        minReference,
        maxReference,
        neededUnigrams,
        neededBigrams,
        unigramProbe: leastUnigrams === Infinity ? 0 : length - leastUnigrams + 1,
        bigramProbe: leastBigrams === Infinity ? 0 : length - 1 - leastBigrams + 1,
      };
    }
    this.windows.set(length, window);
    return window;
  }

  /**
   * The index and prefix for a kept query of length R: with t the least overlap any candidate length needs against
   * it, its first (elements − t + 1) elements. For L ≥ R the needed overlaps rise with L (p_n fall, BP stays 1), so
   * only L ≤ R is scanned, downwards until the brevity penalty alone rules L out. If some L needs no shared bigram,
   * the query goes to the unigram index; otherwise to the (far more selective) bigram index.
   */
  referencePlan(referenceLength: number): ReferencePlan {
    const cached = this.plans.get(referenceLength);
    if (cached) return cached;
    let unigrams = Infinity;
    let bigrams = Infinity;
    for (let length = referenceLength; length >= 1; length--) {
      const need = this.neededUnigrams(length, referenceLength);
      if (need === INFEASIBLE) break;
      unigrams = Math.min(unigrams, need);
      bigrams = Math.min(bigrams, this.neededBigrams(length, referenceLength));
    }
    const plan: ReferencePlan =
      unigrams === Infinity ? { level: 1, prefix: 0 } : bigrams === 0 ? { level: 1, prefix: referenceLength - unigrams + 1 } : { level: 2, prefix: referenceLength - 1 - bigrams + 1 };
    this.plans.set(referenceLength, plan);
    return plan;
  }
}
