import { wilsonInterval } from "./wilson.js";

/** A count out of n as a share with its 95% Wilson interval. */
export interface Rate {
  count: number;
  n: number;
  share: number;
  low: number;
  high: number;
}

export function rate(count: number, n: number): Rate {
  const { low, high } = wilsonInterval(count, n);
  return { count, n, share: n ? count / n : 0, low, high };
}

export const percent = (x: number) => `${(x * 100).toFixed(1)}%`;
/** "12.5% (4/32) [4.9%, 28.1%]" */
export const rateCell = (r: Rate | undefined) => (r ? `${percent(r.share)} (${r.count}/${r.n}) [${percent(r.low)}, ${percent(r.high)}]` : "–");
