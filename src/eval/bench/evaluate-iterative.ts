import { UsageError } from "../../errors.js";
import { optimize, type OptimizeResult } from "../../optimize/optimize.js";
import { loadChecklist } from "../../reward/checklist.js";
import type { BenchReport } from "./bench-report.js";
import { optimizerInfo, type BenchSystem, type EvaluateBenchOptions } from "./evaluate-bench.js";
import type { PromptRecord, WorkItem } from "./records.js";
import { runSuite, type SuiteRun } from "./run-suite.js";
import { limitSuite, loadSuite } from "./suite.js";

export interface EvaluateIterativeOptions extends Omit<EvaluateBenchOptions, "systems"> {
  /** The optimizer whose output is re-optimized as the next query. */
  system: BenchSystem & { optimize: NonNullable<BenchSystem["optimize"]> };
  /** Re-optimization steps (the paper's Table 3: 4). */
  iterations: number;
  /** Also score the raw query as step 0 (default true). */
  original?: boolean;
}

export const iterationLabel = (k: number) => `iteration-${k}`;

/**
 * The prompt each iteration renders: step k's prompt; after the optimizer stopped changing it (optimize() stops
 * early then) or failed, the last prompt it gave, as a user re-running it would keep.
 */
export function iterationPrompts(result: OptimizeResult, iterations: number): { prompts: Record<string, string | null>; stoppedAt?: number } {
  const steps = result.steps ?? [{ input: result.query, prompt: result.prompt, status: result.status }];
  const prompts: Record<string, string | null> = {};
  let current: string | null = null;
  for (let k = 1; k <= iterations; k++) {
    const step = steps[k - 1];
    if (step?.status === "ok") current = step.prompt;
    prompts[iterationLabel(k)] = current;
  }
  const last = steps.at(-1);
  const stoppedAt = steps.length < iterations && last?.status === "ok" ? steps.length : undefined;
  return { prompts, ...(stoppedAt !== undefined ? { stoppedAt } : {}) };
}

/**
 * The paper's Table 3: every suite query optimized, then its prompt re-optimized as the next query up to N times;
 * each step's prompt rendered and scored against the ORIGINAL query, with the count of queries that stopped early.
 * A step that repeats the previous prompt renders the same video (content-hash cache), so it costs nothing.
 */
export async function evaluateIterative(options: EvaluateIterativeOptions): Promise<SuiteRun> {
  const { iterations, system } = options;
  if (!Number.isInteger(iterations) || iterations < 1) throw new UsageError(`--iterations must be a positive integer, got ${iterations}`);
  if (!options.reward && !options.dimensionScorer) throw new UsageError("no scorer: pass a reward backend (--reward-cmd, --reward-url, --vlm-*) and/or --scorer-cmd");
  const seed = options.seed ?? 0;
  const suite = typeof options.suite === "string" ? loadSuite(options.suite) : options.suite;
  const chosen = limitSuite(suite.items.map((item, queryIndex) => ({ ...item, queryIndex })), options.limit, seed);
  if (!chosen.length) throw new UsageError(`suite ${suite.name} has no queries`);
  const labels = [...(options.original === false ? [] : ["original"]), ...Array.from({ length: iterations }, (_, i) => iterationLabel(i + 1))];
  const promptItems: WorkItem[] = chosen.map((q) => ({ query: q.query, id: `${q.queryIndex}/${system.name}`, queryIndex: q.queryIndex, system: system.name }));
  const videoItems: WorkItem[] = chosen.flatMap((q) =>
    labels.map((label) => ({ query: q.query, id: `${q.queryIndex}/${label}`, queryIndex: q.queryIndex, system: label, ...(label === "original" ? {} : { source: system.name }), categories: q.categories, ...(q.id !== undefined ? { suiteId: q.id } : {}) })),
  );
  const o = system.optimize;
  const settings = {
    kind: "iterative",
    suite: suite.name,
    limit: options.limit ?? null,
    seed,
    iterations,
    system: { name: system.name, model: o.model.info, template: o.template?.version ?? "vpo", preset: o.preset ?? "official", sampling: o.sampling ?? {} },
    original: options.original !== false,
    video: options.video.info.id,
    reward: options.reward?.info.id ?? null,
    scorer: options.dimensionScorer?.command ?? null,
  };
  const iterativeInfo = (prompts: PromptRecord[]): BenchReport["iterative"] => {
    const stoppedAt: Record<string, number> = {};
    for (const p of prompts) if (p.stoppedAt !== undefined) stoppedAt[p.stoppedAt] = (stoppedAt[p.stoppedAt] ?? 0) + 1;
    return { iterations, earlyStopped: prompts.filter((p) => p.stoppedAt !== undefined).length, optimized: prompts.filter((p) => p.status === "ok").length, stoppedAt };
  };
  return runSuite({
    ...options,
    kind: "iterative",
    suite,
    seed,
    checklist: options.checklist ?? loadChecklist(),
    settings,
    labels,
    promptItems,
    videoItems,
    iterativeInfo,
    makePrompts: async (item, signal) => {
      const sampling = { ...o.sampling, seed: (o.sampling?.seed ?? seed) + item.queryIndex };
      const r = await optimize(item.query, { ...o, iterations, sampling, signal });
      return { status: r.status, queryIndex: item.queryIndex, system: item.system, query: item.query, ...iterationPrompts(r, iterations), optimizer: optimizerInfo(r), usage: r.usage, ...(r.error ? { error: r.error } : {}) };
    },
  });
}
