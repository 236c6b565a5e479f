import { readFileSync } from "node:fs";

/** Peak resident memory (VmHWM) of a running process, in MiB; undefined once it has exited. */
export function peakRssMiB(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Polls a child's peak RSS until it exits; returns the last reading (VmHWM only grows). */
export function trackPeakRss(pid: number, intervalMs = 100): { stop: () => number } {
  let peak = 0;
  const timer = setInterval(() => {
    const v = peakRssMiB(pid);
    if (v !== undefined) peak = Math.max(peak, v);
  }, intervalMs);
  return {
    stop: () => {
      clearInterval(timer);
      return peak;
    },
  };
}
