import { GrowableInt32Array } from "./growable.js";

/**
 * Posting lists of one kind of element (a token or a hashed bigram, with its occurrence number within the query),
 * keyed by rank · OCCURRENCES + (occurrence − 1) so that sorting the keys orders a query's elements rarest first.
 * Each posting is (query position in the corpus, position of the element in that query's sorted elements).
 */
export class ElementIndex {
  private readonly first: (GrowableInt32Array | undefined)[] = [];
  private readonly later = new Map<number, GrowableInt32Array>();
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

  postings(key: number): GrowableInt32Array | undefined {
    return key % this.occurrences === 0 ? this.first[key / this.occurrences] : this.later.get(key);
  }

  add(key: number, doc: number, position: number): void {
    let list = this.postings(key);
    if (!list) {
      list = new GrowableInt32Array(4);
      if (key % this.occurrences === 0) this.first[key / this.occurrences] = list;
      else this.later.set(key, list);
    }
    list.pushPair(doc, position);
    this.size++;
  }
}
