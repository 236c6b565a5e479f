import { GrowableInt32Array } from "./growable.js";
import { tokenize } from "./tokenize.js";

/** At most this many hash slots for bigrams (collisions only add candidates, never lose one). */
const MAX_BIGRAM_SLOTS = 1 << 22;

/** A bigram's hash slot; `mask` is the slot count − 1 (a power of two). */
export function bigramSlot(first: number, second: number, mask: number): number {
  let h = Math.imul(first, 0x9e3779b1) ^ Math.imul(second + 0x7f4a7c15, 0x85ebca77);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h & mask;
}

export interface BigramRanking {
  mask: number;
  /** Rank of each slot: rarest first (document frequency), ties by slot. */
  ranks: Int32Array;
}

/** Token ids must leave room for n-gram keys of the form localId · 2^26 + tokenId below 2^53. */
export const MAX_VOCABULARY = 2 ** 26;

/**
 * The token ids of every query the self-BLEU filter will walk, stored in one pooled Int32Array (a million queries
 * of ~20 tokens is ~80 MB), with each token's document frequency for the rare-first element order.
 */
export class TokenCorpus {
  private readonly vocabulary = new Map<string, number>();
  private readonly pool = new GrowableInt32Array(1 << 16);
  private readonly starts = new GrowableInt32Array(1 << 12);
  private readonly documentFrequency = new GrowableInt32Array(1 << 12);
  private readonly lastSeen = new GrowableInt32Array(1 << 12);

  constructor() {
    this.starts.push(0);
  }

  /** Adds a query; returns its position. */
  add(text: string): number {
    const doc = this.size;
    for (const token of tokenize(text)) {
      let id = this.vocabulary.get(token);
      if (id === undefined) {
        id = this.vocabulary.size;
        if (id >= MAX_VOCABULARY) throw new RangeError(`more than ${MAX_VOCABULARY} distinct tokens`);
        this.vocabulary.set(token, id);
        this.documentFrequency.push(0);
        this.lastSeen.push(-1);
      }
      if (this.lastSeen.get(id) !== doc) {
        this.lastSeen.array[id] = doc;
        this.documentFrequency.array[id]!++;
      }
      this.pool.push(id);
    }
    this.starts.push(this.pool.length);
    return doc;
  }

  get size(): number {
    return this.starts.length - 1;
  }

  get vocabularySize(): number {
    return this.vocabulary.size;
  }

  length(doc: number): number {
    return this.starts.get(doc + 1) - this.starts.get(doc);
  }

  /** The query's token ids in text order (a view: do not keep it across add()). */
  tokens(doc: number): Int32Array {
    return this.pool.view(this.starts.get(doc), this.starts.get(doc + 1));
  }

  /** Rank of each token id in the global order: rarest first, ties by first appearance. */
  rarityRanks(): Int32Array {
    const n = this.vocabulary.size;
    const df = this.documentFrequency.view(0, n);
    const ids = new Int32Array(n);
    for (let i = 0; i < n; i++) ids[i] = i;
    ids.sort((a, b) => df[a]! - df[b]! || a - b);
    const rank = new Int32Array(n);
    for (let r = 0; r < n; r++) rank[ids[r]!] = r;
    return rank;
  }

  /** Hash slots for the corpus's bigrams (about two per bigram occurrence, at most 4M; a power of two when fixed) and their rarity ranks. */
  bigramRanking(fixedSlots?: number): BigramRanking {
    let slots = fixedSlots ?? 1024;
    while (fixedSlots === undefined && slots < MAX_BIGRAM_SLOTS && slots < this.pool.length * 2) slots *= 2;
    const mask = slots - 1;
    const frequency = new Int32Array(slots);
    const lastSeen = new Int32Array(slots).fill(-1);
    const tokens = this.pool.view();
    for (let doc = 0; doc < this.size; doc++) {
      const end = this.starts.get(doc + 1);
      for (let i = this.starts.get(doc); i + 1 < end; i++) {
        const slot = bigramSlot(tokens[i]!, tokens[i + 1]!, mask);
        if (lastSeen[slot] !== doc) {
          lastSeen[slot] = doc;
          frequency[slot]!++;
        }
      }
    }
    const keys = new Float64Array(slots);
    for (let slot = 0; slot < slots; slot++) keys[slot] = frequency[slot]! * slots + slot;
    keys.sort();
    const ranks = new Int32Array(slots);
    for (let r = 0; r < slots; r++) ranks[keys[r]! % slots] = r;
    return { mask, ranks };
  }
}
