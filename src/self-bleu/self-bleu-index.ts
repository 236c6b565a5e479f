import { bleuFromCounts, bleuUpperBound, mayReach } from "./bleu.js";
import { CandidateProfile } from "./candidate-profile.js";
import { ElementIndex, END } from "./element-index.js";
import { OverlapBounds, type CandidateWindow } from "./overlap-bounds.js";
import { bigramSlot, type TokenCorpus } from "./token-corpus.js";

export interface SimilarQuery {
  /** Position (in the corpus) of the earliest indexed query with BLEU ≥ τ. */
  similarTo: number;
  bleu: number;
}

/**
 * An exact index for "does any kept query reach BLEU ≥ τ against this candidate?": prefix filtering with positional
 * pruning (as in PPJoin) on multisets of elements ordered rarest first. A pair reaching τ needs at least t1 shared
 * unigrams and t2 shared bigrams (OverlapBounds); two multisets sharing ≥ t elements share their smallest common
 * element within both first (size − t + 1) elements, so probing those prefixes misses no such pair. Kept queries go
 * into a bigram index (hashed bigrams: a collision only adds a candidate) unless a short candidate could match them
 * without a shared bigram, in which case they go into a unigram index. Survivors of the length and positional
 * filters are verified with exact clipped n-gram counts and the shared BLEU function, in corpus order, so the
 * match reported is the earliest kept one, exactly as the naive walk finds it.
 */
export class SelfBleuIndex {
  private readonly bounds: OverlapBounds;
  private readonly unigrams: ElementIndex;
  private readonly bigrams: ElementIndex;
  private readonly bigramMask: number;
  private readonly profile = new CandidateProfile();
  // Per-probe scratch: stamp[d] === probe marks d as seen this probe; overlap[d] < 0 marks it pruned.
  private readonly stamp: Int32Array;
  private readonly overlap: Int32Array;
  private slotBuffer = new Int32Array(64);
  private probe = 0;
  private readonly candidates: number[] = [];
  indexed = 0;
  verified = 0;

  constructor(
    private readonly corpus: TokenCorpus,
    readonly threshold: number,
    /** Bigram hash slots (tests force collisions with a few); default: sized to the corpus. */
    bigramSlots?: number,
  ) {
    this.bounds = new OverlapBounds(threshold);
    this.unigrams = new ElementIndex(corpus.rarityRanks(), 2 ** 21);
    const bigramRanking = corpus.bigramRanking(bigramSlots);
    this.bigramMask = bigramRanking.mask;
    this.bigrams = new ElementIndex(bigramRanking.ranks, 2 ** 26);
    this.stamp = new Int32Array(corpus.size).fill(-1);
    this.overlap = new Int32Array(corpus.size);
  }

  /** The earliest indexed query the corpus query `doc` is too similar to, or undefined. */
  findSimilar(doc: number): SimilarQuery | undefined {
    const tokens = this.corpus.tokens(doc);
    const length = tokens.length;
    const window = this.bounds.forCandidate(length);
    if (this.indexed === 0) return undefined;
    const probe = ++this.probe;
    this.candidates.length = 0;
    if (window.unigramProbe > 0 && this.unigrams.size > 0) {
      this.collect(this.unigrams, this.unigrams.sortedKeys(tokens, length), window.unigramProbe, length, window, window.neededUnigrams, probe, 0);
    }
    if (window.bigramProbe > 0 && this.bigrams.size > 0) {
      this.collect(this.bigrams, this.bigrams.sortedKeys(this.bigramSlots(tokens), length - 1), window.bigramProbe, length - 1, window, window.neededBigrams, probe, 1);
    }
    if (this.candidates.length === 0) return undefined;
    this.candidates.sort((a, b) => a - b);
    this.profile.load(tokens);
    for (const other of this.candidates) {
      if (this.overlap[other]! < 0) continue;
      const reference = this.corpus.tokens(other);
      this.verified++;
      const m1 = this.profile.unigramMatches(reference);
      if (!mayReach(bleuUpperBound(length, reference.length, m1), this.threshold)) continue;
      const [, m2, m3, m4] = this.profile.matches(reference);
      const bleu = bleuFromCounts(length, reference.length, m1, m2, m3, m4);
      if (bleu >= this.threshold) return { similarTo: other, bleu };
    }
    return undefined;
  }

  /**
   * Walks the postings of the first `prefix` elements, keeping references whose length is in the window and whose
   * overlap can still reach the needed count: every common element ranked before the current one was found
   * already (it lies in both prefixes), and the rest lie after both positions (`sizeShift`: elements = length − shift).
   */
  private collect(index: ElementIndex, keys: Float64Array, prefix: number, size: number, window: CandidateWindow, needed: Int32Array, probe: number, sizeShift: number): void {
    for (let i = 0; i < prefix; i++) {
      const entries = index.entries.array;
      for (let p = index.head(keys[i]!); p !== END; p = entries[p + 2]!) {
        const other = entries[p]!;
        const otherLength = this.corpus.length(other);
        if (otherLength < window.minReference || otherLength > window.maxReference) continue;
        if (this.stamp[other] !== probe) {
          this.stamp[other] = probe;
          this.overlap[other] = 0;
          this.candidates.push(other);
        } else if (this.overlap[other]! < 0) continue;
        const reachable = this.overlap[other]! + 1 + Math.min(size - 1 - i, otherLength - sizeShift - 1 - entries[p + 1]!);
        this.overlap[other] = reachable >= needed[otherLength - window.minReference]! ? this.overlap[other]! + 1 : -1;
      }
    }
  }

  /** Indexes a kept query under the prefix its plan says. Queries must be added in corpus order. */
  add(doc: number): void {
    const tokens = this.corpus.tokens(doc);
    const plan = this.bounds.referencePlan(tokens.length);
    const index = plan.level === 1 ? this.unigrams : this.bigrams;
    const keys = plan.level === 1 ? index.sortedKeys(tokens, tokens.length) : index.sortedKeys(this.bigramSlots(tokens), tokens.length - 1);
    for (let j = 0; j < plan.prefix; j++) index.add(keys[j]!, doc, j);
    this.indexed++;
  }

  private bigramSlots(tokens: Int32Array): Int32Array {
    if (this.slotBuffer.length < tokens.length) this.slotBuffer = new Int32Array(tokens.length * 2);
    for (let i = 0; i + 1 < tokens.length; i++) this.slotBuffer[i] = bigramSlot(tokens[i]!, tokens[i + 1]!, this.bigramMask);
    return this.slotBuffer;
  }
}
