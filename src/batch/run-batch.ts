import { setMaxListeners } from "node:events";
import PQueue from "p-queue";
import { AbortedError, errorRecord, type VpoErrorCode } from "../errors.js";
import { JsonlResults, type IndexedRecord } from "./jsonl-results.js";
import { countQueries, readQueries, type QueryItem } from "./read-queries.js";

export interface BatchProgress {
  /** Items in the input (known after a quick counting pass). */
  total: number;
  /** Items already in the output before this run. */
  skipped: number;
  ok: number;
  failed: number;
  inFlight: number;
  elapsedMs: number;
}

export interface BatchSummary extends BatchProgress {
  /** True when a stop signal ended the run before every item was done. */
  stopped: boolean;
  output: string;
  /** Output lines from an earlier run that were unreadable (ignored and redone). */
  corruptLines: number[];
  /** Bytes of a half-written last line (a crashed run) that were cut. */
  repairedBytes: number;
}

/** The record written for an item that could not be processed. */
export interface FailedItemRecord extends IndexedRecord {
  status: "failed";
  line?: number;
  error: { code: VpoErrorCode | "internal"; message: string };
}

export interface BatchOptions<R extends IndexedRecord> {
  input: string;
  output: string;
  /** Items in flight at once (default 8). */
  concurrency?: number;
  /** Redo items whose record says "failed"; the output is compacted to one line per index at the end. */
  retryFailed?: boolean;
  /** Turns one readable item into its record. Throw AbortedError to leave the item for a later run. */
  process: (item: Extract<QueryItem, { query: string }>, signal: AbortSignal) => Promise<R>;
  onProgress?: (progress: BatchProgress) => void;
  /** Stop starting new items; those in flight finish and are written. */
  stop?: AbortSignal;
  /** Abort items in flight too; they are not written and a re-run redoes them. */
  signal?: AbortSignal;
}

/**
 * Runs `process` over every item of a query file into a resumable JSONL file: one line per item with its `index`,
 * items already present are skipped, unreadable items get a failed record naming file and line.
 */
export async function runBatch<R extends IndexedRecord>(options: BatchOptions<R>): Promise<BatchSummary> {
  const concurrency = options.concurrency ?? 8;
  const signal = options.signal ?? new AbortController().signal;
  // Every in-flight item listens on the signals; many at once are expected, not a leak.
  setMaxListeners(0, signal, ...(options.stop ? [options.stop] : []));
  const started = Date.now();
  const total = await countQueries(options.input);
  const results = await JsonlResults.open<R | FailedItemRecord>(options.output, { retryFailed: options.retryFailed });
  const progress: BatchProgress = { total, skipped: 0, ok: 0, failed: 0, inFlight: 0, elapsedMs: 0 };
  const report = () => options.onProgress?.({ ...progress, elapsedMs: Date.now() - started });
  const write = (record: R | FailedItemRecord) => {
    results.append(record);
    if (record.status === "failed") progress.failed++;
    else progress.ok++;
  };
  const queue = new PQueue({ concurrency });
  let stopped = false;
  try {
    for await (const item of readQueries(options.input)) {
      if (results.isDone(item.index)) {
        progress.skipped++;
        continue;
      }
      if (options.stop?.aborted || signal.aborted) {
        stopped = true;
        break;
      }
      if ("error" in item) {
        write({ index: item.index, status: "failed", ...(item.line ? { line: item.line } : {}), error: item.error.toJSON() });
        report();
        continue;
      }
      await queue.onSizeLessThan(concurrency);
      progress.inFlight++;
      void queue.add(async () => {
        try {
          write(await options.process(item, signal));
        } catch (error) {
          if (!(error instanceof AbortedError) && !signal.aborted) {
            write({ index: item.index, status: "failed", ...(item.line ? { line: item.line } : {}), error: errorRecord(error) });
          }
        } finally {
          progress.inFlight--;
          report();
        }
      });
    }
    await queue.onIdle();
  } finally {
    await results.close();
  }
  if (signal.aborted) stopped = true;
  return {
    ...progress,
    elapsedMs: Date.now() - started,
    stopped: stopped || progress.skipped + progress.ok + progress.failed < total,
    output: options.output,
    corruptLines: results.scan.corruptLines,
    repairedBytes: results.scan.repairedBytes,
  };
}
