import cliProgress from "cli-progress";
import type { PipelineProgress } from "../pipeline/progress.js";
import { formatDuration } from "./progress.js";

export interface StageProgressView {
  update(p: PipelineProgress): void;
  stop(): void;
}

/** Queries finished per second in this run, and the time left at that rate. */
function queryRate(p: PipelineProgress, skippedQueries: number): { rate: number; eta: number } {
  const doneNow = p.queriesFinished - skippedQueries;
  const rate = p.elapsedMs > 0 ? (doneNow / p.elapsedMs) * 1000 : 0;
  return { rate, eta: rate > 0 ? ((p.queriesTotal - p.queriesFinished) / rate) * 1000 : Infinity };
}

/**
 * Per-stage progress of `vpo data …`: on a terminal one bar per stage plus the query total with rate and ETA;
 * elsewhere (CI, pipes) one plain line every `intervalMs`. Later stages' totals grow as earlier stages create work.
 */
export function createStageProgressView(label: string, { stream = process.stderr, intervalMs = 10_000 } = {}): StageProgressView {
  let last: PipelineProgress | undefined;
  let skippedQueries: number | undefined;
  const line = (p: PipelineProgress) => {
    skippedQueries ??= p.queriesFinished;
    const { rate, eta } = queryRate(p, skippedQueries);
    const stages = p.stages.map((s) => `${s.stage} ${s.skipped + s.done + s.failed}/${s.total}${s.failed ? ` (${s.failed} failed)` : ""}`).join(" | ");
    return `${label}: queries ${p.queriesFinished}/${p.queriesTotal}, ${rate.toFixed(1)}/s, ETA ${formatDuration(eta)} | ${stages}`;
  };
  if (!stream.isTTY) {
    const timer = setInterval(() => last && stream.write(`${line(last)}\n`), intervalMs);
    timer.unref();
    return {
      update: (p) => void (last = p),
      stop: () => {
        clearInterval(timer);
        if (last) stream.write(`${line(last)}\n`);
      },
    };
  }
  const multi = new cliProgress.MultiBar(
    { stream, format: "{name} {bar} {value}/{total} {extra}", hideCursor: true, clearOnComplete: false, barsize: 30 },
    cliProgress.Presets.shades_classic,
  );
  const bars = new Map<string, cliProgress.SingleBar>();
  const bar = (name: string, total: number) => {
    let b = bars.get(name);
    if (!b) bars.set(name, (b = multi.create(Math.max(total, 1), 0, { name: name.padEnd(15), extra: "" })));
    return b;
  };
  return {
    update(p) {
      skippedQueries ??= p.queriesFinished;
      const { rate, eta } = queryRate(p, skippedQueries);
      bar("queries", p.queriesTotal).setTotal(Math.max(p.queriesTotal, 1));
      bar("queries", p.queriesTotal).update(p.queriesFinished, { extra: `${rate.toFixed(1)}/s ETA ${formatDuration(eta)}` });
      for (const s of p.stages) {
        const b = bar(s.stage, s.total);
        b.setTotal(Math.max(s.total, 1));
        b.update(s.skipped + s.done + s.failed, { extra: `ok ${s.skipped + s.done} failed ${s.failed} running ${s.inFlight}` });
      }
    },
    stop: () => multi.stop(),
  };
}
