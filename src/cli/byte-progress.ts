import cliProgress from "cli-progress";
import { formatDuration } from "./progress.js";

export function formatBytes(n: number): string {
  if (n < 1e3) return `${n} B`;
  if (n < 1e6) return `${(n / 1e3).toFixed(1)} kB`;
  if (n < 1e9) return `${(n / 1e6).toFixed(1)} MB`;
  return `${(n / 1e9).toFixed(2)} GB`;
}

export interface ByteProgress {
  /** Bytes done, this run and before (cached). */
  done: number;
  total: number;
  /** Bytes done in this run and the time it took: the rate and ETA come from these only. */
  doneThisRun: number;
  elapsedMs: number;
  /** What is being worked on (a file or tensor name). */
  item?: string;
}

export interface ByteProgressView {
  update(p: ByteProgress): void;
  stop(): void;
}

/** Download/conversion progress: a bar with size, rate and ETA on a terminal; a plain line every 10 s elsewhere. */
export function createByteProgressView(label: string, { stream = process.stderr, intervalMs = 10_000 } = {}): ByteProgressView {
  const stats = (p: ByteProgress) => {
    const rate = p.elapsedMs > 0 ? (p.doneThisRun / p.elapsedMs) * 1000 : 0;
    return { rate, eta: rate > 0 ? ((p.total - p.done) / rate) * 1000 : Infinity };
  };
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      { stream, format: `${label} {bar} {percentage}% | {doneText}/{totalText} | {rateText}/s | ETA {etaText} | {item}`, hideCursor: true, clearOnComplete: false },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(p) {
        const s = stats(p);
        const payload = { doneText: formatBytes(p.done), totalText: formatBytes(p.total), rateText: formatBytes(Math.round(s.rate)), etaText: formatDuration(s.eta), item: p.item ?? "" };
        if (!started) {
          bar.start(Math.max(1, p.total), p.done, payload);
          started = true;
        } else bar.update(p.done, payload);
      },
      stop: () => started && bar.stop(),
    };
  }
  let last: ByteProgress | undefined;
  const timer = setInterval(() => {
    if (!last) return;
    const s = stats(last);
    const pct = last.total ? ((last.done / last.total) * 100).toFixed(0) : "?";
    stream.write(`${label}: ${formatBytes(last.done)}/${formatBytes(last.total)} (${pct}%), ${formatBytes(Math.round(s.rate))}/s, ETA ${formatDuration(s.eta)}${last.item ? `, ${last.item}` : ""}\n`);
  }, intervalMs);
  timer.unref();
  return {
    update: (p) => void (last = p),
    stop: () => clearInterval(timer),
  };
}
