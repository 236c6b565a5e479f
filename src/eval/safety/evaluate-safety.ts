import { join } from "node:path";
import { runBatch, type BatchProgress, type BatchSummary } from "../../batch/run-batch.js";
import { UsageError } from "../../errors.js";
import { safetyDocument } from "../report/safety-document.js";
import { writeReports } from "../report/write-reports.js";
import { checkSystemNames } from "../bench/evaluate-bench.js";
import { prepareRunDir, readRecords } from "../bench/run-dir.js";
import { limitSuite, readSuiteFile } from "../bench/suite.js";
import { checkerQuality, evaluateLabelItem, type LabelRecord } from "./label-checks.js";
import { evaluateSafetyItem, type SafetyCheckers, type SafetyRecord, type SafetySystem, type SafetyVideo } from "./safety-item.js";
import { buildSafetyReport, type SafetyReport } from "./safety-report.js";
import { loadSafetySuite } from "./safety-suite.js";

export interface EvaluateSafetyOptions {
  /** A T2VSafetyBench-style folder (one file per aspect) or one file. */
  suite: string;
  /** Benign queries with edgy words: the over-refusal suite. */
  benign?: string;
  /** Queries labelled `{"query", "unsafe": bool, "edgy_benign"?}`: each checker's precision, recall, false-positive rate. */
  labels?: string;
  out: string;
  systems: SafetySystem[];
  checkers?: SafetyCheckers;
  /** Fig. 4: render each prompt and score its safety level 1–4. */
  video?: Omit<SafetyVideo, "seed">;
  limit?: number;
  seed?: number;
  concurrency?: number;
  retryFailed?: boolean;
  onProgress?: (phase: string, progress: BatchProgress) => void;
  stop?: AbortSignal;
  signal?: AbortSignal;
}

export interface SafetyRun {
  report: SafetyReport;
  summaries: Record<string, BatchSummary>;
  stopped: boolean;
}

/**
 * The safety evaluation for any optimizer: per T2VSafetyBench aspect, the share of queries whose prompt the screen,
 * the judge and the safety model still find unsafe, refusals and sanitizations; the over-refusal rate on benign edgy
 * queries; optionally the Fig. 4 distribution of video safety levels; and with labels, each checker's quality.
 */
export async function evaluateSafety(options: EvaluateSafetyOptions): Promise<SafetyRun> {
  checkSystemNames(options.systems.map((s) => s.name));
  const seed = options.seed ?? 0;
  const checkers = options.checkers ?? {};
  const suite = limitSuite(loadSafetySuite(options.suite), options.limit, seed);
  const benign = options.benign ? limitSuite(readSuiteFile(options.benign), options.limit, seed) : [];
  if (!suite.length) throw new UsageError(`safety suite ${options.suite} has no queries`);
  const queries = [...suite.map((q) => ({ ...q, part: "unsafe" as const })), ...benign.map((q) => ({ query: q.query, aspect: "over-refusal", part: "benign" as const }))];
  const items = queries.flatMap((q, queryIndex) => options.systems.map((s) => ({ query: q.query, id: `${queryIndex}/${s.name}`, queryIndex, system: s.name, aspect: q.aspect, part: q.part })));
  const checkerNames = ["screen", ...(checkers.judge ? ["judge"] : []), ...(checkers.safetyModel ? ["safety model"] : [])];
  const settings = {
    kind: "safety",
    suite: options.suite,
    benign: options.benign ?? null,
    limit: options.limit ?? null,
    seed,
    systems: options.systems.map((s) => (s.optimize ? { name: s.name, model: s.optimize.model.info, template: s.optimize.template?.version ?? "vpo", guard: s.guard ?? null } : { name: s.name, original: true })),
    checkers: { judge: checkers.judge?.info ?? null, safetyModel: checkers.safetyModel?.info ?? null },
    video: options.video ? { video: options.video.video.info.id, levels: options.video.levels.info.id } : null,
  };
  const paths = await prepareRunDir(options.out, settings, { items });
  const bySystem = new Map(options.systems.map((s) => [s.name, s]));
  const video = options.video ? { ...options.video, seed } : undefined;
  const control = { concurrency: options.concurrency, retryFailed: options.retryFailed, stop: options.stop, signal: options.signal };
  const summaries: Record<string, BatchSummary> = {};
  summaries.safety = await runBatch<SafetyRecord>({
    ...control,
    input: paths.items!,
    output: join(options.out, "results.jsonl"),
    onProgress: (p) => options.onProgress?.("safety", p),
    process: async (item, signal) => {
      const started = Date.now();
      const r = item.record ?? {};
      const q = { query: item.query, queryIndex: Number(r.queryIndex), aspect: String(r.aspect), part: r.part === "benign" ? ("benign" as const) : ("unsafe" as const), seed };
      return { index: item.index, ...(await evaluateSafetyItem(q, bySystem.get(String(r.system))!, checkers, video, signal)), ms: Date.now() - started };
    },
  });
  if (options.labels && !summaries.safety.stopped) {
    summaries.labels = await runBatch<LabelRecord>({
      ...control,
      input: options.labels,
      output: join(options.out, "labels.jsonl"),
      onProgress: (p) => options.onProgress?.("labels", p),
      process: async (item, signal) => ({ index: item.index, ...(await evaluateLabelItem(item.record, item.query, checkers, signal)) }),
    });
  }
  const report = buildSafetyReport({
    suite: options.suite,
    ...(options.benign ? { benign: options.benign } : {}),
    ...(options.labels ? { labelsFile: options.labels } : {}),
    systems: options.systems.map((s) => ({ name: s.name, ...(s.guard ? { guard: s.guard } : {}) })),
    records: readRecords<SafetyRecord>(join(options.out, "results.jsonl")),
    ...(options.labels ? { labels: checkerQuality(readRecords<LabelRecord>(join(options.out, "labels.jsonl"))) } : {}),
    checkers: checkerNames,
  });
  await writeReports(options.out, report, safetyDocument(report));
  return { report, summaries, stopped: Object.values(summaries).some((s) => s.stopped) };
}
