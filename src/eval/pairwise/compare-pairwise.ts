import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { InputError, UsageError } from "../../errors.js";
import { dominates } from "../../reward/select-video-pairs.js";
import type { BenchRecord } from "../bench/records.js";
import { readRecords } from "../bench/run-dir.js";
import { rate, type Rate } from "../rate.js";

export interface PairwiseSide {
  /** A results.jsonl of `vpo eval bench`/`iterative`, or the run folder holding one. */
  results: string;
  /** The system to take from it (needed when it holds more than one). */
  system?: string;
}

export type { Rate };

export interface Tally {
  n: number;
  win: Rate;
  tie: Rate;
  loss: Rate;
}

export interface PairwiseReport {
  a: { results: string; system: string };
  b: { results: string; system: string };
  /** Queries both sides scored. */
  n: number;
  /** A's overall score above / equal to / below B's. */
  byScore: Tally;
  /** A's checklist answers strictly dominate B's (the DPO rule) / neither dominates / B's dominate A's. */
  byDominance?: Tally;
  onlyA: number;
  onlyB: number;
  generatedAt: string;
}

function resultsPath(path: string): string {
  if (existsSync(path) && statSync(path).isDirectory()) return join(path, "results.jsonl");
  return path;
}

function pick(side: PairwiseSide, label: string): { file: string; system: string; rows: BenchRecord[] } {
  const file = resultsPath(side.results);
  if (!existsSync(file)) throw new InputError("no such results file (a results.jsonl of vpo eval bench, or its run folder)", file);
  const all = readRecords<BenchRecord>(file);
  const systems = [...new Set(all.map((r) => r.system))];
  const system = side.system ?? (systems.length === 1 ? systems[0] : undefined);
  if (!system) throw new UsageError(`${file} holds systems ${systems.join(", ")}: pass --${label}-system NAME`);
  if (!systems.includes(system)) throw new UsageError(`${file} has no system "${system}" (it has ${systems.join(", ") || "no rows"})`);
  return { file, system, rows: all.filter((r) => r.system === system && r.reward) };
}

const tally = (win: number, tie: number, loss: number): Tally => {
  const n = win + tie + loss;
  return { n, win: rate(win, n), tie: rate(tie, n), loss: rate(loss, n) };
};

/** A query's identity across two runs: its text, and which occurrence of that text it is in its suite. */
function keyed(rows: BenchRecord[]): Map<string, BenchRecord> {
  const seen = new Map<string, number>();
  const out = new Map<string, BenchRecord>();
  for (const r of [...rows].sort((x, y) => x.queryIndex - y.queryIndex)) {
    const k = seen.get(r.query) ?? 0;
    seen.set(r.query, k + 1);
    out.set(`${k}\u0000${r.query}`, r);
  }
  return out;
}

/**
 * The paper's Fig. 5 for two systems' scored videos of the same queries: win / tie / loss of A against B by the
 * overall score, and by strict dominance of the checklist answers (`dominates`, the rule video-level DPO pairs use),
 * as shares with 95% Wilson intervals.
 */
export function comparePairwise(a: PairwiseSide, b: PairwiseSide): PairwiseReport {
  const left = pick(a, "a");
  const right = pick(b, "b");
  const A = keyed(left.rows);
  const B = keyed(right.rows);
  const score = [0, 0, 0];
  const dom = [0, 0, 0];
  let n = 0;
  let withAnswers = 0;
  for (const [key, x] of A) {
    const y = B.get(key);
    if (!y) continue;
    n++;
    const d = x.reward!.score - y.reward!.score;
    score[Math.abs(d) < 1e-9 ? 1 : d > 0 ? 0 : 2]!++;
    const xa = x.reward!.answers;
    const ya = y.reward!.answers;
    if (xa && ya && xa.length === ya.length) {
      withAnswers++;
      dom[dominates(xa, ya) ? 0 : dominates(ya, xa) ? 2 : 1]!++;
    }
  }
  return {
    a: { results: left.file, system: left.system },
    b: { results: right.file, system: right.system },
    n,
    byScore: tally(score[0]!, score[1]!, score[2]!),
    ...(withAnswers ? { byDominance: tally(dom[0]!, dom[1]!, dom[2]!) } : {}),
    onlyA: A.size - n,
    onlyB: [...B.keys()].filter((k) => !A.has(k)).length,
    generatedAt: new Date().toISOString(),
  };
}
