import { seededRandom } from "../../util/random.js";

/** A mean with its 95% bootstrap interval over n values. */
export interface MeanInterval {
  mean: number;
  low: number;
  high: number;
  n: number;
}

export const BOOTSTRAP_RESAMPLES = 2000;

const mean = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

/** The q-quantile of sorted values with linear interpolation (R type 7, NumPy's default). */
function quantile(sorted: readonly number[], q: number): number {
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (at - lo);
}

/**
 * The mean and its 95% percentile-bootstrap interval, from `resamples` resamples drawn with a seeded PRNG: the same
 * values and seed give the same interval on every machine and every run.
 */
export function bootstrapMean(values: readonly number[], seed: number, resamples = BOOTSTRAP_RESAMPLES): MeanInterval {
  const n = values.length;
  if (n === 0) return { mean: Number.NaN, low: Number.NaN, high: Number.NaN, n: 0 };
  const m = mean(values);
  if (n === 1) return { mean: m, low: m, high: m, n };
  const random = seededRandom(seed);
  const means = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += values[Math.floor(random() * n)]!;
    means[b] = sum / n;
  }
  const sorted = Array.from(means).sort((a, b) => a - b);
  return { mean: m, low: quantile(sorted, 0.025), high: quantile(sorted, 0.975), n };
}

/** Paired difference (b − a) over the keys both have: resampling pairs keeps each query's own difficulty out of the interval. */
export function bootstrapPairedDifference(a: ReadonlyMap<string, number>, b: ReadonlyMap<string, number>, seed: number, resamples = BOOTSTRAP_RESAMPLES): MeanInterval {
  const diffs: number[] = [];
  for (const [key, x] of a) {
    const y = b.get(key);
    if (y !== undefined) diffs.push(y - x);
  }
  return bootstrapMean(diffs, seed, resamples);
}
