/** Key of an n-gram in the candidate: (local id of its first n−1 tokens) · 2^26 + last token id. Exact, no hashing. */
const SHIFT = 2 ** 26;

/**
 * The candidate's distinct n-grams (n = 1..4) with their counts, so clipped matches against a reference take one
 * pass over the reference: each reference position extends its (n−1)-gram match by one token per level.
 */
export class CandidateProfile {
  private readonly ids = [new Map<number, number>(), new Map<number, number>(), new Map<number, number>(), new Map<number, number>()];
  private counts: Int32Array[] = [];
  private used: Int32Array[] = [];
  private levelIds: Int32Array[] = [];
  length = 0;
  private tokens: Int32Array = new Int32Array(0);
  /** Levels (n − 1) built so far for the loaded candidate: most candidates fail on unigrams alone. */
  private built = 0;

  load(tokens: Int32Array): void {
    const length = tokens.length;
    this.length = length;
    this.tokens = tokens;
    this.built = 0;
    if (!this.counts[0] || this.counts[0].length < length) {
      const capacity = Math.max(64, length * 2);
      this.counts = [0, 1, 2, 3].map(() => new Int32Array(capacity));
      this.used = [0, 1, 2, 3].map(() => new Int32Array(capacity));
      this.levelIds = [0, 1, 2, 3].map(() => new Int32Array(capacity));
    }
  }

  private build(levels: number): void {
    const tokens = this.tokens;
    const length = this.length;
    for (let level = this.built; level < levels; level++) {
      const ids = this.ids[level]!;
      const counts = this.counts[level]!;
      const own = this.levelIds[level]!;
      const below = this.levelIds[level - 1];
      ids.clear();
      counts.fill(0, 0, length);
      for (let i = 0; i + level < length; i++) {
        const key = level === 0 ? tokens[i]! : below![i]! * SHIFT + tokens[i + level]!;
        let id = ids.get(key);
        if (id === undefined) {
          id = ids.size;
          ids.set(key, id);
        }
        counts[id]!++;
        own[i] = id;
      }
    }
    this.built = Math.max(this.built, levels);
  }

  /** Clipped unigram matches m1 against a reference. */
  unigramMatches(reference: Int32Array): number {
    if (this.built < 1) this.build(1);
    const ids = this.ids[0]!;
    const counts = this.counts[0]!;
    const used = this.used[0]!;
    used.fill(0, 0, ids.size);
    let matches = 0;
    for (let j = 0; j < reference.length; j++) {
      const id = ids.get(reference[j]!);
      if (id !== undefined && used[id]! < counts[id]!) {
        used[id]!++;
        matches++;
      }
    }
    return matches;
  }

  /** Clipped matches [m1, m2, m3, m4] against a reference. */
  matches(reference: Int32Array): [number, number, number, number] {
    if (this.built < 4) this.build(4);
    const found: [number, number, number, number] = [0, 0, 0, 0];
    for (let level = 0; level < 4; level++) this.used[level]!.fill(0, 0, this.ids[level]!.size);
    for (let j = 0; j < reference.length; j++) {
      let id = -1;
      for (let level = 0; level < 4 && j + level < reference.length; level++) {
        const key = level === 0 ? reference[j]! : id * SHIFT + reference[j + level]!;
        const next = this.ids[level]!.get(key);
        if (next === undefined) break;
        id = next;
        const used = this.used[level]!;
        if (used[id]! < this.counts[level]![id]!) {
          used[id]!++;
          found[level as 0]++;
        }
      }
    }
    return found;
  }
}
