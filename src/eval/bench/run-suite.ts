import { join } from "node:path";
import type { BatchSummary } from "../../batch/run-batch.js";
import type { Checklist } from "../../reward/checklist.js";
import type { RewardBackend } from "../../reward/types.js";
import type { VideoBackend } from "../../video/types.js";
import { benchDocument } from "../report/bench-document.js";
import { writeReports } from "../report/write-reports.js";
import { buildBenchReport, type BenchReport } from "./bench-report.js";
import { runDimensionScorer, type DimensionScorerOptions } from "./dimension-scorer.js";
import { runPromptPhase, runVideoPhase, type PhaseControl } from "./phases.js";
import type { BenchRecord, PromptRecord, WorkItem } from "./records.js";
import { prepareRunDir, readRecords } from "./run-dir.js";
import type { Suite } from "./suite.js";

export interface SuiteRunOptions extends PhaseControl {
  kind: BenchReport["kind"];
  out: string;
  suite: Suite;
  seed: number;
  limit?: number;
  /** Result-deciding settings: a re-run with others is refused. */
  settings: Record<string, unknown>;
  /** The row labels in table order (systems, or original + iterations). */
  labels: string[];
  promptItems: WorkItem[];
  videoItems: WorkItem[];
  makePrompts: (item: WorkItem, signal: AbortSignal) => Promise<Omit<PromptRecord, "index" | "ms">>;
  video: VideoBackend;
  reward?: RewardBackend;
  checklist: Checklist;
  dimensionScorer?: Omit<DimensionScorerOptions, "out" | "records" | "dimensions"> & { dimensions?: string[] };
  iterativeInfo?: (prompts: PromptRecord[]) => BenchReport["iterative"];
}

export interface SuiteRun {
  report: BenchReport;
  summaries: Record<string, BatchSummary>;
  stopped: boolean;
}

/** Prompts, then videos and scores, then the optional folder scorer, then the reports: each step resumable. */
export async function runSuite(options: SuiteRunOptions): Promise<SuiteRun> {
  const { out, suite } = options;
  const paths = await prepareRunDir(out, options.settings, { "prompt-items": options.promptItems, items: options.videoItems });
  const summaries: Record<string, BatchSummary> = {};
  summaries.prompts = await runPromptPhase(paths["prompt-items"]!, join(out, "prompts.jsonl"), options.makePrompts, options);
  const prompts = readRecords<PromptRecord>(join(out, "prompts.jsonl"));
  if (!summaries.prompts.stopped) {
    const promptOf = new Map(prompts.map((p) => [`${p.queryIndex}/${p.system}`, p]));
    summaries.videos = await runVideoPhase(paths.items!, join(out, "results.jsonl"), {
      ...options,
      promptFor: (item) => {
        if (!item.source) return { prompt: item.query };
        const p = promptOf.get(`${item.queryIndex}/${item.source}`);
        if (!p) return { prompt: null, error: { code: "internal", message: "no optimizer record for this query" } };
        const prompt = p.prompts[item.system] ?? null;
        return { prompt, optimizer: p.optimizer, ...(prompt === null && p.error ? { error: { code: p.error.code, message: p.error.message } } : {}) };
      },
    });
  }
  const stopped = Object.values(summaries).some((s) => s.stopped);
  let records = readRecords<BenchRecord>(join(out, "results.jsonl"));
  if (!stopped && options.dimensionScorer) {
    const dimensions = options.dimensionScorer.dimensions ?? Object.values(suite.dimensions ?? {});
    records = (await runDimensionScorer({ ...options.dimensionScorer, out, records, dimensions, categoryDimensions: suite.dimensions })).records;
  }
  const report = buildBenchReport({
    kind: options.kind,
    suite: suite.name,
    seed: options.seed,
    ...(options.limit !== undefined ? { limit: options.limit } : {}),
    systems: options.labels,
    records,
    prompts,
    video: options.video.info,
    ...(options.reward ? { scorer: options.reward.info } : {}),
    ...(options.iterativeInfo ? { iterative: options.iterativeInfo(prompts) } : {}),
  });
  await writeReports(out, report, benchDocument(report));
  return { report, summaries, stopped };
}
