import type { RewardBackendInfo } from "../../reward/types.js";
import type { VideoBackendInfo } from "../../video/types.js";
import { bootstrapMean, bootstrapPairedDifference, BOOTSTRAP_RESAMPLES, type MeanInterval } from "./bootstrap.js";
import { OVERALL, SCORE } from "./columns.js";
import type { BenchRecord, OptimizerInfo, PromptRecord } from "./records.js";

export interface SystemBenchSummary {
  name: string;
  /** Rows of this system (queries × 1). */
  rows: number;
  /** Rows with a score: the n of every mean. */
  scored: number;
  failed: { optimizer: number; video: number; reward: number };
  optimizer?: OptimizerInfo;
  columns: Record<string, MeanInterval>;
  /** Paired difference (this − baseline) per column over the queries both scored. */
  vsBaseline?: Record<string, MeanInterval>;
  /** Per category (VBench dimension, MonetBench content/challenge), per column. */
  byCategory: Record<string, Record<string, MeanInterval>>;
  /** The main column's value per scored row, in query order (the score distribution chart). */
  scores: number[];
}

export interface BenchCosts {
  /** Optimizer requests and tokens. */
  requests: number;
  inputTokens: number;
  outputTokens: number;
  videosRendered: number;
  videosFromCache: number;
  rewardCalls: number;
  rewardsFromCache: number;
  /** Sum of the time each row took (optimizer, video and reward), over every run that worked on them. */
  workMs: number;
}

export interface BenchReport {
  kind: "bench" | "iterative";
  suite: string;
  seed: number;
  limit?: number;
  queries: number;
  columns: string[];
  /** The column the distribution chart and the pairwise comparison use (overall, or score). */
  mainColumn: string;
  categories: string[];
  baseline?: string;
  systems: SystemBenchSummary[];
  costs: BenchCosts;
  bootstrap: { resamples: number; seed: number; interval: "95% percentile" };
  video?: VideoBackendInfo;
  scorer?: RewardBackendInfo;
  iterative?: { iterations: number; earlyStopped: number; optimized: number; stoppedAt: Record<string, number> };
  generatedAt: string;
}

/** A seed per (system, column, category), so adding a system never changes another's interval. */
function seedFor(seed: number, ...parts: string[]): number {
  let h = 0x811c9dc5;
  for (const ch of parts.join("|")) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193) >>> 0;
  return (h ^ seed) >>> 0;
}

/** Column order: reward dimensions as they come, then overall or score, then scorer-command dimensions. */
function columnsOf(records: readonly BenchRecord[]): string[] {
  const seen: string[] = [];
  for (const r of records) for (const c of Object.keys(r.columns)) if (!seen.includes(c)) seen.push(c);
  const main = [OVERALL, SCORE].filter((c) => seen.includes(c));
  return [...seen.filter((c) => !main.includes(c) && !c.startsWith("vbench:")), ...main, ...seen.filter((c) => c.startsWith("vbench:"))];
}

export interface BenchReportInput {
  kind: BenchReport["kind"];
  suite: string;
  seed: number;
  limit?: number;
  systems: string[];
  records: readonly BenchRecord[];
  prompts: readonly PromptRecord[];
  video?: VideoBackendInfo;
  scorer?: RewardBackendInfo;
  iterative?: BenchReport["iterative"];
  resamples?: number;
}

/** The benchmark table: per system and column the mean with a seeded 95% bootstrap interval, paired differences against `original`, per-category breakdown. */
export function buildBenchReport(input: BenchReportInput): BenchReport {
  const resamples = input.resamples ?? BOOTSTRAP_RESAMPLES;
  const columns = columnsOf(input.records);
  const mainColumn = columns.includes(OVERALL) ? OVERALL : columns.includes(SCORE) ? SCORE : (columns[0] ?? OVERALL);
  const categories = [...new Set(input.records.flatMap((r) => r.categories))].sort();
  const baseline = input.systems.includes("original") ? "original" : undefined;
  const rowsOf = (name: string) => input.records.filter((r) => r.system === name);
  const byQuery = (rows: readonly BenchRecord[], column: string) => new Map(rows.filter((r) => column in r.columns).map((r) => [String(r.queryIndex), r.columns[column]!]));
  const stat = (rows: readonly BenchRecord[], column: string, ...key: string[]) => bootstrapMean(rows.filter((r) => column in r.columns).map((r) => r.columns[column]!), seedFor(input.seed, ...key, column), resamples);
  const systems = input.systems.map((name): SystemBenchSummary => {
    const rows = rowsOf(name);
    const scored = rows.filter((r) => Object.keys(r.columns).length > 0);
    const summary: SystemBenchSummary = {
      name,
      rows: rows.length,
      scored: scored.length,
      failed: {
        optimizer: rows.filter((r) => r.outcome === "optimizer-failed").length,
        video: rows.filter((r) => r.outcome === "video-failed").length,
        reward: rows.filter((r) => r.outcome === "reward-failed").length,
      },
      ...(rows.find((r) => r.optimizer)?.optimizer ? { optimizer: rows.find((r) => r.optimizer)!.optimizer } : {}),
      columns: Object.fromEntries(columns.map((c) => [c, stat(scored, c, name)])),
      byCategory: categories.length > 1 ? Object.fromEntries(categories.map((cat) => [cat, Object.fromEntries(columns.map((c) => [c, stat(scored.filter((r) => r.categories.includes(cat)), c, name, cat)]))])) : {},
      scores: scored.filter((r) => mainColumn in r.columns).map((r) => r.columns[mainColumn]!),
    };
    if (baseline && name !== baseline) {
      const base = rowsOf(baseline);
      summary.vsBaseline = Object.fromEntries(columns.map((c) => [c, bootstrapPairedDifference(byQuery(base, c), byQuery(scored, c), seedFor(input.seed, name, "vs", baseline, c), resamples)]));
    }
    return summary;
  });
  const costs: BenchCosts = {
    requests: input.prompts.reduce((n, p) => n + p.usage.requests, 0),
    inputTokens: input.prompts.reduce((n, p) => n + p.usage.inputTokens, 0),
    outputTokens: input.prompts.reduce((n, p) => n + p.usage.outputTokens, 0),
    videosRendered: new Set(input.records.filter((r) => r.video && (!r.video.cached || r.video.adopted)).map((r) => r.video!.key)).size,
    videosFromCache: input.records.filter((r) => r.video?.cached && !r.video.adopted).length,
    rewardCalls: input.records.filter((r) => r.reward && (!r.reward.cached || r.reward.adopted)).length,
    rewardsFromCache: input.records.filter((r) => r.reward?.cached && !r.reward.adopted).length,
    workMs: input.records.reduce((n, r) => n + r.ms, 0) + input.prompts.reduce((n, p) => n + p.ms, 0),
  };
  return {
    kind: input.kind,
    suite: input.suite,
    seed: input.seed,
    ...(input.limit !== undefined ? { limit: input.limit } : {}),
    queries: new Set(input.records.map((r) => r.queryIndex)).size,
    columns,
    mainColumn,
    categories,
    ...(baseline ? { baseline } : {}),
    systems,
    costs,
    bootstrap: { resamples, seed: input.seed, interval: "95% percentile" },
    ...(input.video ? { video: input.video } : {}),
    ...(input.scorer ? { scorer: input.scorer } : {}),
    ...(input.iterative ? { iterative: input.iterative } : {}),
    generatedAt: new Date().toISOString(),
  };
}
