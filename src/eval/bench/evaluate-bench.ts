import { UsageError } from "../../errors.js";
import { guardedOptimize, type GuardPolicy } from "../../guard/guarded-optimize.js";
import { optimize, type OptimizeOptions } from "../../optimize/optimize.js";
import { loadChecklist, type Checklist } from "../../reward/checklist.js";
import type { RewardBackend } from "../../reward/types.js";
import type { VideoBackend } from "../../video/types.js";
import type { DimensionScorerOptions } from "./dimension-scorer.js";
import type { PhaseControl } from "./phases.js";
import type { WorkItem } from "./records.js";
import { runSuite, type SuiteRun } from "./run-suite.js";
import { limitSuite, loadSuite, type Suite } from "./suite.js";

/** A system under test: an optimizer, or `original` (no optimize: the raw query is the prompt). */
export interface BenchSystem {
  name: string;
  optimize?: Omit<OptimizeOptions, "signal">;
  /** Optimize through the guard (deterministic checks; refusals render nothing and count as optimizer failures). */
  guard?: GuardPolicy;
}

export interface EvaluateBenchOptions extends PhaseControl {
  /** A built-in suite name (vbench-human-action, …, vbench-all) or a suite file, or a loaded suite. */
  suite: string | Suite;
  /** Run folder: run.json, prompts.jsonl, results.jsonl, report.json/md/html. A re-run resumes. */
  out: string;
  systems: BenchSystem[];
  video: VideoBackend;
  /** Scores every video against its ORIGINAL query (checklist → dimension columns + overall; scalar → score). */
  reward?: RewardBackend;
  /** The checklist the reward's answers belong to (default: the shipped VisionReward 64). */
  checklist?: Checklist;
  /** An official VBench-style evaluator run over each system's videos folder per dimension. */
  dimensionScorer?: Omit<DimensionScorerOptions, "out" | "records" | "dimensions"> & { dimensions?: string[] };
  /** A seeded sample of this many queries (default: all). */
  limit?: number;
  /** Sampling, video and bootstrap seed (default 0). */
  seed?: number;
}

export type BenchRun = SuiteRun;

export function checkSystemNames(names: string[]): void {
  if (!names.length) throw new UsageError("no system to evaluate: pass --system original and/or --system NAME=<model flags>");
  if (new Set(names).size !== names.length) throw new UsageError(`system names must differ, got ${names.join(", ")}`);
}

export const optimizerInfo = (r: Awaited<ReturnType<typeof optimize>>) => ({ model: r.model, template: r.template, sampling: { ...r.sampling } });

/**
 * The paper's Table 1 for any optimizers on any video model: per suite query and system, optimize (or take the raw
 * query for `original`), render the system's prompt, score the video against the ORIGINAL query; then the table of
 * means with 95% bootstrap intervals, paired differences against `original` and the per-category breakdown.
 * Resumable at every step (prompts, videos, scores), with no second implementation of rendering or scoring.
 */
export async function evaluateBench(options: EvaluateBenchOptions): Promise<BenchRun> {
  const names = options.systems.map((s) => s.name);
  checkSystemNames(names);
  if (!options.reward && !options.dimensionScorer) throw new UsageError("no scorer: pass a reward backend (--reward-cmd, --reward-url, --vlm-*) and/or --scorer-cmd");
  const seed = options.seed ?? 0;
  const checklist = options.checklist ?? loadChecklist();
  const suite = typeof options.suite === "string" ? loadSuite(options.suite) : options.suite;
  const chosen = limitSuite(suite.items.map((item, queryIndex) => ({ ...item, queryIndex })), options.limit, seed);
  if (!chosen.length) throw new UsageError(`suite ${suite.name} has no queries`);
  const optimizers = options.systems.filter((s) => s.optimize);
  const promptItems: WorkItem[] = chosen.flatMap((q) => optimizers.map((s) => ({ query: q.query, id: `${q.queryIndex}/${s.name}`, queryIndex: q.queryIndex, system: s.name })));
  const videoItems: WorkItem[] = chosen.flatMap((q) =>
    options.systems.map((s) => ({ query: q.query, id: `${q.queryIndex}/${s.name}`, queryIndex: q.queryIndex, system: s.name, ...(s.optimize ? { source: s.name } : {}), categories: q.categories, ...(q.id !== undefined ? { suiteId: q.id } : {}) })),
  );
  const settings = {
    kind: "bench",
    suite: suite.name,
    limit: options.limit ?? null,
    seed,
    systems: options.systems.map((s) => (s.optimize ? { name: s.name, model: s.optimize.model.info, template: s.optimize.template?.version ?? "vpo", preset: s.optimize.preset ?? "official", sampling: s.optimize.sampling ?? {}, guard: s.guard ?? null } : { name: s.name, original: true })),
    video: options.video.info.id,
    reward: options.reward?.info.id ?? null,
    scorer: options.dimensionScorer?.command ?? null,
  };
  const bySystem = new Map(options.systems.map((s) => [s.name, s]));
  return runSuite({
    ...options,
    kind: "bench",
    suite,
    seed,
    checklist,
    settings,
    labels: names,
    promptItems,
    videoItems,
    makePrompts: async (item, signal) => {
      const system = bySystem.get(item.system)!;
      const sampling = { ...system.optimize!.sampling, seed: (system.optimize!.sampling?.seed ?? seed) + item.queryIndex };
      const r = system.guard ? await guardedOptimize(item.query, { ...system.optimize!, sampling, signal, policy: system.guard }) : await optimize(item.query, { ...system.optimize!, sampling, signal });
      return { status: r.status, queryIndex: item.queryIndex, system: item.system, query: item.query, prompts: { [item.system]: r.prompt }, optimizer: optimizerInfo(r), usage: r.usage, ...(r.error ? { error: r.error } : {}) };
    },
  });
}
