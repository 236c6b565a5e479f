import { GrowableInt32Array } from "./growable.js";

/** End of a posting chain. */
export const END = -1;

/**
 * Posting lists of one kind of element (a token or a hashed bigram, with its occurrence number within the query),
 * keyed by rank · OCCURRENCES + (occurrence − 1) so that sorting the keys orders a query's elements rarest first.
 * Each posting is (query position in the corpus, position of the element in that query's sorted elements). All
 * postings live in one typed array as chains, newest first (a JS object per list cost ~150 bytes × millions).
 */
export class ElementIndex {
  /** Chain head of each element's first occurrence, by rank. */
  private readonly first: Int32Array;
  private readonly later = new Map<number, number>();
  /** (doc, position, next) triples. */
  readonly entries = new GrowableInt32Array(1 << 16);
  private keys = new Float64Array(64);
  private readonly occurrence: Int32Array;
  private readonly occurrenceStamp: Int32Array;
  private stamp = 0;
  size = 0;

  constructor(
    /** Rank of each element id (token id or bigram slot) in the global order. */
    private readonly ranks: Int32Array,
    private readonly occurrences: number,
  ) {
    this.occurrence = new Int32Array(ranks.length);
    this.occurrenceStamp = new Int32Array(ranks.length);
    this.first = new Int32Array(ranks.length).fill(END);
  }

  /** Sorted element keys for the element ids of one query (a view, valid until the next call). */
  sortedKeys(ids: ArrayLike<number>, count: number): Float64Array {
    if (this.keys.length < count) this.keys = new Float64Array(count * 2);
    const keys = this.keys.subarray(0, count);
    const stamp = ++this.stamp;
    for (let i = 0; i < count; i++) {
      const id = ids[i]!;
      if (this.occurrenceStamp[id] !== stamp) {
        this.occurrenceStamp[id] = stamp;
        this.occurrence[id] = 0;
      }
      const seen = this.occurrence[id]!++;
      if (seen >= this.occurrences) throw new RangeError(`a query repeats one element more than ${this.occurrences} times`);
      keys[i] = this.ranks[id]! * this.occurrences + seen;
    }
    keys.sort();
    return keys;
  }

  /** Offset of the newest posting of an element in `entries`, or END; follow entries[offset + 2]. */
  head(key: number): number {
    return key % this.occurrences === 0 ? this.first[key / this.occurrences]! : (this.later.get(key) ?? END);
  }

  add(key: number, doc: number, position: number): void {
    const offset = this.entries.length;
    this.entries.push(doc);
    this.entries.push(position);
    this.entries.push(this.head(key));
    if (key % this.occurrences === 0) this.first[key / this.occurrences] = offset;
    else this.later.set(key, offset);
    this.size++;
  }
}
