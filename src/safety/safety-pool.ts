import { createReadStream, existsSync } from "node:fs";
import { createInterface } from "node:readline";
import { JsonlResults } from "../batch/jsonl-results.js";
import { errorRecord } from "../errors.js";
import type { TextModel } from "../model/types.js";
import type { Logger } from "../util/logger.js";
import { seededRandom, shuffled } from "../util/random.js";
import { judgeSafety } from "./safety-judge.js";
import { classifierVerdict } from "./classifier/classifier-verdict.js";
import { detectClassifierFormat } from "./classifier/detect-format.js";
import type { ClassifierFormat } from "./classifier/types.js";
import type { CurationScreen, SafetySource, SafetyStatus, SafetyVerdict } from "./curation-screen.js";

export interface SafetyEntry {
  index: number;
  query: string;
  toxicity?: number;
}

export interface SafetyPoolOptions {
  /** The input has Detoxify columns: candidates are rows whose highest score is ≥ detoxifyThreshold. */
  hasDetoxify: boolean;
  detoxifyThreshold: number;
  screen?: CurationScreen;
  judge?: TextModel;
  /**
   * The judge is a safety classifier in this format (Qwen3Guard, Llama Guard 3, ShieldGemma), asked in its own
   * prompt format. Default: detected from the judge's model name; a general LLM gets the JSON judge prompt.
   */
  judgeFormat?: ClassifierFormat;
  /** Stop judging once this many are confirmed (the safety sample size). */
  target: number;
  /** Judge-only mode (no Detoxify, no screen): at most this many kept queries are judged. */
  judgeMaxChecks: number;
  judgeConcurrency: number;
  seed: number;
  /** JSONL file of verdicts; a re-run reuses them instead of asking again. */
  judgeLog?: string;
  logger?: Logger;
  onProgress?: (done: number, total: number) => void;
  signal?: AbortSignal;
}

/** One line of safety-judge.jsonl. */
export interface SafetyJudgeRecord {
  index: number;
  status: "ok" | "failed";
  query: string;
  model: string;
  verdict?: SafetyVerdict;
  error?: { code: string; message: string };
}

export interface SafetyPool {
  source: SafetySource;
  /** Status of every kept query that was a candidate (or was judged); others are general. */
  status: Map<number, SafetyStatus>;
  /** Screen categories or judge verdicts, by index, for the output records. */
  details: Map<number, { categories?: string[]; reason?: string; toxicity?: number }>;
  candidates: number;
  judged: number;
  reused: number;
}

async function readJudgeLog(path: string): Promise<Map<number, SafetyJudgeRecord>> {
  const records = new Map<number, SafetyJudgeRecord>();
  if (!existsSync(path)) return records;
  for await (const line of createInterface({ input: createReadStream(path, "utf8"), crlfDelay: Infinity })) {
    try {
      const record = JSON.parse(line) as SafetyJudgeRecord;
      if (typeof record.index === "number") records.set(record.index, record);
    } catch {
      // a torn or corrupt line: that query is judged again
    }
  }
  return records;
}

/**
 * Finds the safety queries among the kept ones. Candidates come from Detoxify scores when the input has them,
 * else from the injected screen; an LLM judge (optional) re-checks them in a seeded random order until `target`
 * are confirmed, since Detoxify labels are unreliable. With neither Detoxify nor a screen, the judge itself screens
 * kept queries (up to judgeMaxChecks); with nothing at all the pool is empty.
 */
export async function buildSafetyPool(entries: readonly SafetyEntry[], options: SafetyPoolOptions): Promise<SafetyPool> {
  const source: SafetySource = options.hasDetoxify ? "detoxify" : options.screen ? "screen" : options.judge ? "judge-only" : "none";
  const pool: SafetyPool = { source, status: new Map(), details: new Map(), candidates: 0, judged: 0, reused: 0 };
  let candidates: SafetyEntry[] = [];
  if (source === "detoxify") candidates = entries.filter((e) => e.toxicity !== undefined && e.toxicity >= options.detoxifyThreshold);
  else if (source === "screen") {
    for (const entry of entries) {
      const { categories } = options.screen!(entry.query);
      if (categories.length) {
        candidates.push(entry);
        pool.details.set(entry.index, { categories });
      }
    }
  }
  for (const c of candidates) {
    pool.status.set(c.index, "candidate");
    if (c.toxicity !== undefined) pool.details.set(c.index, { ...pool.details.get(c.index), toxicity: c.toxicity });
  }
  pool.candidates = candidates.length;
  if (!options.judge || options.target === 0) return pool;

  const order = shuffled(source === "judge-only" ? entries : candidates, seededRandom(options.seed)).slice(0, source === "judge-only" ? options.judgeMaxChecks : undefined);
  const model = options.judge;
  const modelId = model.info.id;
  const format = options.judgeFormat ?? detectClassifierFormat({ name: model.info.path ?? model.info.id });
  const judgeOne = (query: string) => (format ? classifierVerdict(model, format, query, { signal: options.signal }) : judgeSafety(model, query, options.signal));
  const previous = options.judgeLog ? await readJudgeLog(options.judgeLog) : new Map<number, SafetyJudgeRecord>();
  const log = options.judgeLog ? await JsonlResults.open<SafetyJudgeRecord>(options.judgeLog) : undefined;
  let confirmed = 0;
  const apply = (entry: SafetyEntry, record: SafetyJudgeRecord) => {
    pool.judged++;
    const verdict = record.verdict;
    const status: SafetyStatus = record.status === "failed" || !verdict ? "judge-failed" : verdict.unsafe ? "confirmed" : "cleared";
    if (status === "confirmed") confirmed++;
    // In judge-only mode the queries were never suspected: only a confirmed one leaves the general pool.
    if (source === "judge-only" && status !== "confirmed") return;
    pool.status.set(entry.index, status);
    pool.details.set(entry.index, { ...pool.details.get(entry.index), ...(verdict ? { categories: verdict.categories, reason: verdict.reason } : {}) });
  };
  try {
    // Judge in chunks of `concurrency` and stop between chunks: which queries get judged does not depend on timing.
    for (let start = 0; start < order.length && confirmed < options.target; start += options.judgeConcurrency) {
      options.signal?.throwIfAborted();
      const chunk = order.slice(start, start + options.judgeConcurrency);
      const records = await Promise.all(
        chunk.map(async (entry): Promise<SafetyJudgeRecord> => {
          const cached = previous.get(entry.index);
          if (cached && cached.status === "ok" && cached.query === entry.query && cached.model === modelId) {
            pool.reused++;
            return cached;
          }
          let record: SafetyJudgeRecord;
          try {
            record = { index: entry.index, status: "ok", query: entry.query, model: modelId, verdict: await judgeOne(entry.query) };
          } catch (error) {
            options.signal?.throwIfAborted();
            record = { index: entry.index, status: "failed", query: entry.query, model: modelId, error: errorRecord(error) };
            options.logger?.warn(`safety judge failed on query ${entry.index}: ${record.error!.message}`);
          }
          log?.append(record);
          return record;
        }),
      );
      chunk.forEach((entry, k) => apply(entry, records[k]!));
      options.onProgress?.(Math.min(start + chunk.length, order.length), order.length);
    }
  } finally {
    await log?.close();
  }
  return pool;
}
