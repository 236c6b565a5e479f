import { seededRandom, shuffled } from "../util/random.js";
import type { SafetyPool } from "../safety/safety-pool.js";
import type { SafetyStatus } from "../safety/curation-screen.js";

export type Pool = "general" | "safety";
export type Split = "sft" | "dpo";

export interface SampleOptions {
  general: number;
  safety: number;
  /** Share of each pool that goes to SFT (the safety share is the same in both splits). */
  sftShare: number;
  seed: number;
}

export interface SampledQuery {
  /** Position of the query in the kept list. */
  kept: number;
  pool: Pool;
  split: Split;
}

export interface SampleResult {
  sft: SampledQuery[];
  dpo: SampledQuery[];
  available: Record<Pool, number>;
  sampled: Record<Pool, number>;
}

/**
 * Draws `general` and `safety` queries with a seed (all of a pool when it holds fewer) and splits each pool
 * between SFT and DPO by sftShare, so both splits carry the same safety share. Outputs are in input order.
 * `safetyOrder` may come pre-ordered (the judge's seeded order), in which case its first entries are taken.
 */
export function sampleAndSplit(generalPool: readonly number[], safetyPool: readonly number[], options: SampleOptions): SampleResult {
  const random = seededRandom(options.seed);
  const general = shuffled(generalPool, random).slice(0, options.general);
  const safety = shuffled(safetyPool, random).slice(0, options.safety);
  const sft: SampledQuery[] = [];
  const dpo: SampledQuery[] = [];
  const split = (items: number[], pool: Pool) => {
    const toSft = Math.round(items.length * options.sftShare);
    items.forEach((kept, i) => (i < toSft ? sft : dpo).push({ kept, pool, split: i < toSft ? "sft" : "dpo" }));
  };
  split(general, "general");
  split(safety, "safety");
  sft.sort((a, b) => a.kept - b.kept);
  dpo.sort((a, b) => a.kept - b.kept);
  return {
    sft,
    dpo,
    available: { general: generalPool.length, safety: safetyPool.length },
    sampled: { general: general.length, safety: safety.length },
  };
}

/**
 * Splits the kept queries (by input index) into the general and safety pools (positions in the kept list). Without
 * a judge, every candidate is a safety query; with one, only confirmed ones are, cleared ones are general again,
 * and unjudged or failed candidates are in neither.
 */
export function splitPools(keptIndexes: readonly number[], pool: SafetyPool | undefined, judged: boolean): { general: number[]; safety: number[]; statusCounts: Record<SafetyStatus, number> } {
  const general: number[] = [];
  const safety: number[] = [];
  const statusCounts: Record<SafetyStatus, number> = { confirmed: 0, cleared: 0, "judge-failed": 0, candidate: 0 };
  keptIndexes.forEach((index, k) => {
    const status = pool?.status.get(index);
    if (status) statusCounts[status]++;
    if (!status || status === "cleared") general.push(k);
    else if (status === "confirmed" || (status === "candidate" && !judged)) safety.push(k);
  });
  return { general, safety, statusCounts };
}
