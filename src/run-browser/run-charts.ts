import type { PairDataRecord } from "../pipeline/records.js";
import { parsed, withRun } from "./open-run.js";
import type { RunLibrary } from "./run-library.js";

export interface Histogram {
  n: number;
  bins: { low: number; high: number; count: number }[];
}

export interface RunCharts {
  /** Reward scores of every rendered candidate (stage video-feedback). */
  scores: Histogram;
  /** Score gaps (chosen − rejected) of the video pairs. */
  gaps: Histogram;
  pairs: { text: number; video: number };
}

const BINS = 16;

/** Equal-width bins from 0 (scores and gaps are never negative) to the largest value, or to `atLeast`. */
export function histogram(values: number[], atLeast = 1): Histogram {
  const high = Math.max(atLeast, ...values);
  const width = high / BINS;
  const bins = Array.from({ length: BINS }, (_, i) => ({ low: i * width, high: (i + 1) * width, count: 0 }));
  for (const v of values) bins[Math.min(BINS - 1, Math.max(0, Math.floor(v / width)))]!.count++;
  return { n: values.length, bins };
}

/** What the run page charts: the score distribution and the pair gaps (VisionReward scores run from 0 to 6.277). */
export function runCharts(library: RunLibrary, name: string): RunCharts {
  return withRun(library.dir(name), (db) => {
    const scores = (db.prepare("SELECT json_extract(output, '$.reward.score') AS s FROM items WHERE stage = 'video-feedback' AND status = 'done'").all() as { s: number | null }[])
      .map((r) => r.s)
      .filter((s): s is number => typeof s === "number");
    const gaps: number[] = [];
    const pairs = { text: 0, video: 0 };
    for (const row of db.prepare("SELECT output FROM items WHERE stage = 'pairs' AND status = 'done'").iterate() as Iterable<{ output: string | null }>) {
      for (const p of parsed<{ pairs: PairDataRecord[] }>(row.output)?.pairs ?? []) {
        pairs[p.source]++;
        if (p.scores) gaps.push(p.scores.chosen - p.scores.rejected);
      }
    }
    return { scores: histogram(scores, 1), gaps: histogram(gaps, 1), pairs };
  });
}
