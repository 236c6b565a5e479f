import cliProgress from "cli-progress";
import type { BatchProgress } from "../batch/run-batch.js";

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return "?";
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

export interface ProgressView {
  update(p: BatchProgress): void;
  stop(): void;
}

/**
 * A progress bar with rate and ETA on a terminal; elsewhere (CI, pipes) a plain line every `intervalMs`.
 * Rates count only work done in this run, so a resumed run's ETA is not skewed by skipped items.
 */
export function createProgressView(label: string, { stream = process.stderr, intervalMs = 10_000 } = {}): ProgressView {
  let last: BatchProgress | undefined;
  const stats = (p: BatchProgress) => {
    const done = p.ok + p.failed;
    const remaining = Math.max(0, p.total - p.skipped - done);
    const rate = p.elapsedMs > 0 ? (done / p.elapsedMs) * 1000 : 0;
    return { done: done + p.skipped, rate, eta: rate > 0 ? (remaining / rate) * 1000 : Infinity };
  };
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      {
        stream,
        format: `${label} {bar} {percentage}% | {value}/{total} | {rate}/s | ETA {etaText} | ok {ok} failed {failed}`,
        hideCursor: true,
        clearOnComplete: false,
        etaBuffer: 50,
      },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(p) {
        const s = stats(p);
        const payload = { rate: s.rate.toFixed(1), etaText: formatDuration(s.eta), ok: p.ok, failed: p.failed };
        if (!started) {
          bar.start(p.total, s.done, payload);
          started = true;
        } else bar.update(s.done, payload);
      },
      stop: () => started && bar.stop(),
    };
  }
  const timer = setInterval(() => {
    if (!last) return;
    const s = stats(last);
    const pct = last.total ? ((s.done / last.total) * 100).toFixed(0) : "?";
    stream.write(`${label}: ${s.done}/${last.total} (${pct}%) ok ${last.ok} failed ${last.failed}, ${s.rate.toFixed(1)}/s, ETA ${formatDuration(s.eta)}\n`);
  }, intervalMs);
  timer.unref();
  return {
    update: (p) => void (last = p),
    stop: () => clearInterval(timer),
  };
}
