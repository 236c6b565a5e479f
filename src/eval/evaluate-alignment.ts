import { writeFile, mkdir } from "node:fs/promises";
import { join } from "node:path";
import { runBatch, type BatchProgress, type BatchSummary } from "../batch/run-batch.js";
import { UsageError } from "../errors.js";
import { SERVER_CONCURRENCY } from "../model/concurrency.js";
import type { OptimizeOptions } from "../optimize/optimize.js";
import { JUDGE_RUBRIC_INFO } from "../critique/rubric.js";
import type { JudgeOptions } from "../critique/judge-prompt.js";
import { evaluateAlignmentItem, type AlignmentRecord } from "./alignment-item.js";
import { alignmentMarkdown, summarizeSystem, type AlignmentReport } from "./alignment-report.js";

/** Queries in flight at once by default; each holds an optimizer call and then a judge call. */
export const DEFAULT_ALIGNMENT_CONCURRENCY = SERVER_CONCURRENCY;

export interface AlignmentSystem {
  /** Used in the report and as the per-item file name (`<out>/<name>.jsonl`). */
  name: string;
  optimize: Omit<OptimizeOptions, "signal">;
}

export interface EvaluateAlignmentOptions {
  /** A query file (.txt, .json or .jsonl), as for batch optimization. */
  queries: string;
  /** Output folder: one JSONL per system, report.json, report.md. */
  out: string;
  systems: AlignmentSystem[];
  judge: Omit<JudgeOptions, "signal">;
  concurrency?: number;
  retryFailed?: boolean;
  onProgress?: (system: string, progress: BatchProgress) => void;
  stop?: AbortSignal;
  signal?: AbortSignal;
}

export interface AlignmentRun {
  report: AlignmentReport;
  summaries: Record<string, BatchSummary>;
  stopped: boolean;
}

/**
 * The paper's query-alignment evaluation (Table 2) for any optimizer: optimize every query, categorise each prompt
 * as aligned / unsafe / imprecise / refusal, and write per-item JSONL plus report.json and report.md. Several systems
 * (an optimizer and baselines) run on the same queries side by side. Resumable: a re-run skips finished items.
 */
export async function evaluateAlignment(options: EvaluateAlignmentOptions): Promise<AlignmentRun> {
  const names = options.systems.map((s) => s.name);
  if (!names.length) throw new UsageError("no optimizer to evaluate");
  if (new Set(names).size !== names.length) throw new UsageError(`system names must differ, got ${names.join(", ")}`);
  for (const n of names) if (!/^[\w.-]+$/.test(n)) throw new UsageError(`system name "${n}" must be letters, digits, ".", "-" or "_" (it names a file)`);
  await mkdir(options.out, { recursive: true });
  const summaries: Record<string, BatchSummary> = {};
  let stopped = false;
  for (const system of options.systems) {
    if (stopped) break;
    const output = join(options.out, `${system.name}.jsonl`);
    summaries[system.name] = await runBatch<AlignmentRecord>({
      input: options.queries,
      output,
      concurrency: options.concurrency ?? DEFAULT_ALIGNMENT_CONCURRENCY,
      retryFailed: options.retryFailed,
      onProgress: (p) => options.onProgress?.(system.name, p),
      stop: options.stop,
      signal: options.signal,
      process: async (item, signal) => ({
        index: item.index,
        ...(item.line ? { line: item.line } : {}),
        ...(item.id !== undefined ? { id: item.id } : {}),
        ...(await evaluateAlignmentItem(item.query, { system: system.name, optimize: system.optimize, judge: options.judge }, signal)),
      }),
    });
    stopped = summaries[system.name]!.stopped;
  }
  const report: AlignmentReport = {
    queries: options.queries,
    judge: { model: options.judge.model.info, rubric: JUDGE_RUBRIC_INFO },
    systems: await Promise.all(options.systems.filter((s) => summaries[s.name]).map((s) => summarizeSystem(s.name, join(options.out, `${s.name}.jsonl`)))),
    generatedAt: new Date().toISOString(),
  };
  await writeFile(join(options.out, "report.json"), `${JSON.stringify(report, null, 2)}\n`);
  await writeFile(join(options.out, "report.md"), alignmentMarkdown(report));
  return { report, summaries, stopped };
}
