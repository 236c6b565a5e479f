/** Length buckets for the report: upper bounds (inclusive); the last bucket is open. */
export const WORD_BUCKETS = [1, 2, 5, 10, 20, 40, 80, 120] as const;
export const CHAR_BUCKETS = [10, 25, 50, 100, 200, 400, 800] as const;

export class LengthHistogram {
  readonly counts: number[];
  total = 0;

  constructor(readonly bounds: readonly number[]) {
    this.counts = new Array(bounds.length + 1).fill(0);
  }

  add(value: number): void {
    let b = 0;
    while (b < this.bounds.length && value > this.bounds[b]!) b++;
    this.counts[b]!++;
    this.total++;
  }

  /** Bucket labels ("1", "2", "3–5", …, "121+") with their counts. */
  toJSON(): Record<string, number> {
    const out: Record<string, number> = {};
    let low = 0;
    this.bounds.forEach((high, b) => {
      out[low + 1 === high ? `${high}` : `${low + 1}–${high}`] = this.counts[b]!;
      low = high;
    });
    out[`${low + 1}+`] = this.counts[this.bounds.length]!;
    return out;
  }
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
const CJK_WORDS = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]|[^\s\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]+/gu;

/**
 * Words of a normalised query: space-separated runs; in Chinese and Japanese, which do not space words, each
 * character counts as one (close to a word on average, and a sound basis for length bounds).
 */
export function wordCount(query: string): number {
  if (query === "") return 0;
  if (CJK.test(query)) return query.match(CJK_WORDS)?.length ?? 0;
  return query.split(" ").length;
}

export function charCount(query: string): number {
  let n = 0;
  for (const _ of query) n++;
  return n;
}

/** Word and character histograms of a set of queries. */
export function lengthHistograms(queries: readonly string[]): [Record<string, number>, Record<string, number>] {
  const words = new LengthHistogram(WORD_BUCKETS);
  const chars = new LengthHistogram(CHAR_BUCKETS);
  for (const q of queries) {
    words.add(wordCount(q));
    chars.add(charCount(q));
  }
  return [words.toJSON(), chars.toJSON()];
}
