import { bleuFromCounts, bleuUpperBound, mayReach } from "./bleu.js";
import { CandidateProfile } from "./candidate-profile.js";
import { GrowableInt32Array } from "./growable.js";
import { OverlapBounds } from "./overlap-bounds.js";
import type { TokenCorpus } from "./token-corpus.js";

/** Element key: rarity rank · 2^21 + (occurrence − 1). A token repeated k times is k distinct elements. */
const OCCURRENCES = 2 ** 21;

export interface SimilarQuery {
  /** Position (in the corpus) of the earliest indexed query with BLEU ≥ τ. */
  similarTo: number;
  bleu: number;
}

/**
 * An exact index for "does any kept query reach BLEU ≥ τ against this candidate?" (prefix filtering with positional
 * pruning, as in PPJoin, on multisets of tokens ordered rarest first). Each kept query is indexed by its first
 * R − t + 1 elements, where t is the least unigram overlap any candidate could reach τ with; a candidate probes its
 * first L − t' + 1 elements. Two queries with overlap ≥ both thresholds share their smallest common element inside
 * both prefixes, so no pair that could reach τ is missed. Survivors of the length and positional filters are
 * verified with exact clipped n-gram counts and the shared BLEU function, in corpus order, so the reported match
 * is the earliest kept one, exactly as the naive walk finds it.
 */
export class SelfBleuIndex {
  private readonly bounds: OverlapBounds;
  private readonly ranks: Int32Array;
  private readonly firstOccurrence: (GrowableInt32Array | undefined)[] = [];
  private readonly laterOccurrences = new Map<number, GrowableInt32Array>();
  private readonly profile = new CandidateProfile();
  // Per-probe scratch: stamp[d] === probe marks d as seen this probe; overlap[d] < 0 marks it pruned.
  private readonly stamp: Int32Array;
  private readonly overlap: Int32Array;
  private readonly occurrence: Int32Array;
  private readonly occurrenceStamp: Int32Array;
  private probe = 0;
  private elements = new Float64Array(64);
  private elementsOf = -1;
  indexed = 0;
  verified = 0;

  constructor(
    private readonly corpus: TokenCorpus,
    readonly threshold: number,
  ) {
    this.bounds = new OverlapBounds(threshold);
    this.ranks = corpus.rarityRanks();
    this.stamp = new Int32Array(corpus.size).fill(-1);
    this.overlap = new Int32Array(corpus.size);
    this.occurrence = new Int32Array(corpus.vocabularySize);
    this.occurrenceStamp = new Int32Array(corpus.vocabularySize).fill(-1);
  }

  /** The earliest indexed query the corpus query `doc` is too similar to, or undefined. */
  findSimilar(doc: number): SimilarQuery | undefined {
    const length = this.corpus.length(doc);
    const window = this.bounds.forCandidate(length);
    if (window.probePrefix === 0 || this.indexed === 0) return undefined;
    const elements = this.sortedElements(doc);
    const probe = ++this.probe;
    const candidates: number[] = [];
    for (let i = 0; i < window.probePrefix; i++) {
      const postings = this.postings(elements[i]!, false);
      if (!postings) continue;
      const list = postings.view();
      for (let p = 0; p < list.length; p += 2) {
        const other = list[p]!;
        const otherLength = this.corpus.length(other);
        if (otherLength < window.minReference || otherLength > window.maxReference) continue;
        if (this.stamp[other] !== probe) {
          this.stamp[other] = probe;
          this.overlap[other] = 0;
          candidates.push(other);
        } else if (this.overlap[other]! < 0) continue;
        // Every common element ranked before this one was found already; the rest lie after both positions.
        const reachable = this.overlap[other]! + 1 + Math.min(length - 1 - i, otherLength - 1 - list[p + 1]!);
        this.overlap[other] = reachable >= window.needed[otherLength - window.minReference]! ? this.overlap[other]! + 1 : -1;
      }
    }
    if (candidates.length === 0) return undefined;
    candidates.sort((a, b) => a - b);
    const tokens = this.corpus.tokens(doc);
    this.profile.load(tokens);
    for (const other of candidates) {
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

  /** Indexes a kept query under the prefix of its elements. Queries must be added in corpus order. */
  add(doc: number): void {
    const length = this.corpus.length(doc);
    const prefix = this.bounds.indexPrefix(length);
    const elements = this.sortedElements(doc);
    for (let j = 0; j < prefix; j++) this.postings(elements[j]!, true)!.pushPair(doc, j);
    this.indexed++;
  }

  private postings(element: number, create: boolean): GrowableInt32Array | undefined {
    if (element % OCCURRENCES === 0) {
      const rank = element / OCCURRENCES;
      let list = this.firstOccurrence[rank];
      if (!list && create) this.firstOccurrence[rank] = list = new GrowableInt32Array(4);
      return list;
    }
    let list = this.laterOccurrences.get(element);
    if (!list && create) this.laterOccurrences.set(element, (list = new GrowableInt32Array(4)));
    return list;
  }

  /** The query's elements (token, occurrence) as keys sorted rarest first; cached for the add() after a probe. */
  private sortedElements(doc: number): Float64Array {
    const tokens = this.corpus.tokens(doc);
    if (this.elementsOf === doc) return this.elements.subarray(0, tokens.length);
    if (this.elements.length < tokens.length) this.elements = new Float64Array(tokens.length * 2);
    const keys = this.elements.subarray(0, tokens.length);
    for (let i = 0; i < tokens.length; i++) {
      const id = tokens[i]!;
      if (this.occurrenceStamp[id] !== doc) {
        this.occurrenceStamp[id] = doc;
        this.occurrence[id] = 0;
      }
      const seen = this.occurrence[id]!++;
      if (seen >= OCCURRENCES) throw new RangeError(`a query repeats one token more than ${OCCURRENCES} times`);
      keys[i] = this.ranks[id]! * OCCURRENCES + seen;
    }
    keys.sort();
    this.elementsOf = doc;
    return keys;
  }
}
