import { hasLetterOrDigit } from "../self-bleu/tokenize.js";
import { GrowableInt32Array } from "../self-bleu/growable.js";
import { TokenCorpus } from "../self-bleu/token-corpus.js";
import { CHAR_BUCKETS, charCount, LengthHistogram, WORD_BUCKETS, wordCount } from "./histogram.js";
import type { JsonlWriter } from "./jsonl-writer.js";
import { duplicateKey, normalizeQuery } from "./normalize.js";
import { isMalformed, type InputSource } from "./readers/types.js";
import type { RuleFilter } from "./rules/rule-filter.js";
import { TextStore } from "./text-store.js";

/** Queries that survived normalisation, deduplication and the rules, in input order, ready for self-BLEU. */
export interface Survivors {
  corpus: TokenCorpus;
  inputIndex: GrowableInt32Array;
  queries: TextStore;
  lines: GrowableInt32Array;
  /** Row ids ("" when the row has none). */
  ids: TextStore;
  toxicity: number[];
}

export interface ReadCounts {
  rows: number;
  malformed: number;
  recoded: number;
  empty: number;
  duplicate: number;
  rules: Record<string, number>;
  survivors: number;
}

/** How many malformed or re-encoded rows the report lists one by one (dropped.jsonl has them all). */
export const LISTED_ROWS = 1000;

export interface ReadResult {
  survivors: Survivors;
  counts: ReadCounts;
  malformedRows: { index: number; line?: number; error: string }[];
  recodedLines: number[];
  words: LengthHistogram;
  chars: LengthHistogram;
}

/**
 * Pass one, streaming: read → normalise → drop empty → drop exact duplicates (case-insensitive) → rules. Every drop
 * goes to dropped.jsonl with its reason as it happens; only survivors stay in memory (text and token ids).
 */
export async function readAndFilter(
  source: InputSource,
  options: { rules?: RuleFilter; dropped: JsonlWriter; onProgress?: (bytes: number, total: number) => void; signal?: AbortSignal },
): Promise<ReadResult> {
  const survivors: Survivors = { corpus: new TokenCorpus(), inputIndex: new GrowableInt32Array(1 << 12), queries: new TextStore(), lines: new GrowableInt32Array(1 << 12), ids: new TextStore(), toxicity: [] };
  const counts: ReadCounts = { rows: 0, malformed: 0, recoded: 0, empty: 0, duplicate: 0, rules: {}, survivors: 0 };
  const result: ReadResult = { survivors, counts, malformedRows: [], recodedLines: [], words: new LengthHistogram(WORD_BUCKETS), chars: new LengthHistogram(CHAR_BUCKETS) };
  const firstSeen = new Map<string, number>();
  const { dropped } = options;
  for await (const batch of source.rows()) {
    options.signal?.throwIfAborted();
    for (const item of batch) {
      counts.rows++;
      const at = item.line === undefined ? {} : { line: item.line };
      if (isMalformed(item)) {
        counts.malformed++;
        if (result.malformedRows.length < LISTED_ROWS) result.malformedRows.push({ index: item.index, ...at, error: item.error });
        await dropped.write({ index: item.index, ...at, query: item.raw ?? "", reason: "malformed", detail: item.error });
        continue;
      }
      if (item.recoded) {
        counts.recoded++;
        if (result.recodedLines.length < LISTED_ROWS && item.line !== undefined) result.recodedLines.push(item.line);
      }
      const query = normalizeQuery(item.query);
      if (!hasLetterOrDigit(query)) {
        counts.empty++;
        await dropped.write({ index: item.index, ...at, query: item.query, reason: "empty" });
        continue;
      }
      result.words.add(wordCount(query));
      result.chars.add(charCount(query));
      const key = duplicateKey(query);
      const original = firstSeen.get(key);
      if (original !== undefined) {
        counts.duplicate++;
        await dropped.write({ index: item.index, ...at, query, reason: "duplicate", duplicateOf: original });
        continue;
      }
      firstSeen.set(key, item.index);
      const verdict = options.rules?.(query);
      if (verdict) {
        counts.rules[verdict.reason] = (counts.rules[verdict.reason] ?? 0) + 1;
        await dropped.write({ index: item.index, ...at, query, reason: verdict.reason, ...(verdict.detail ? { detail: verdict.detail } : {}) });
        continue;
      }
      survivors.corpus.add(query);
      survivors.inputIndex.push(item.index);
      survivors.queries.push(query);
      survivors.lines.push(item.line ?? 0);
      survivors.ids.push(item.id ?? "");
      survivors.toxicity.push(item.toxicity ?? NaN);
      counts.survivors++;
    }
    options.onProgress?.(source.bytesRead(), source.bytes);
  }
  return result;
}
