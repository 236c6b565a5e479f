import cliProgress from "cli-progress";
import type { TrainingProgress } from "../train/launch/training-progress.js";
import { formatDuration } from "./progress.js";

export interface TrainingProgressView {
  update(p: TrainingProgress): void;
  stop(): void;
}

const fixed = (n: number | undefined, digits: number) => (n === undefined ? "-" : n.toFixed(digits));
const lr = (n: number | undefined) => (n === undefined ? "-" : n.toExponential(1));

/** "loss 1.2345 acc 0.750 lr 2.0e-6 epoch 1.50 ETA 1m10s": what is known, nothing else. */
function describeMetrics(p: TrainingProgress): string {
  const parts: string[] = [];
  if (p.loss !== undefined) parts.push(`loss ${fixed(p.loss, 4)}`);
  if (p.accuracy !== undefined) parts.push(`acc ${fixed(p.accuracy, 3)}`);
  if (p.reward !== undefined) parts.push(`reward ${fixed(p.reward, 3)}`);
  if (p.learningRate !== undefined) parts.push(`lr ${lr(p.learningRate)}`);
  if (p.epoch !== undefined) parts.push(`epoch ${fixed(p.epoch, 2)}`);
  if (p.etaMs !== undefined) parts.push(`ETA ${formatDuration(p.etaMs)}`);
  if (p.message) parts.push(`[${p.message}]`);
  return parts.join(" ");
}

/** "step 30/100 (30%) loss 1.2345 acc 0.750 lr 2.0e-6 epoch 1.50 ETA 1m10s" */
export function describeProgress(p: TrainingProgress): string {
  const step = `step ${p.step}${p.totalSteps ? `/${p.totalSteps} (${Math.floor((p.step / p.totalSteps) * 100)}%)` : ""}`;
  const metrics = describeMetrics(p);
  return metrics ? `${step} ${metrics}` : step;
}

/**
 * A training progress bar (steps, loss, reward accuracy, learning rate, ETA) on a terminal; elsewhere one line per
 * change, which is how training logs usually read in CI and cluster job logs.
 */
export function createTrainingProgressView(label: string, { stream = process.stderr } = {}): TrainingProgressView {
  if (stream.isTTY) {
    const bar = new cliProgress.SingleBar(
      { stream, format: `${label} {bar} {value}/{total} steps | {metrics}`, barsize: 30, hideCursor: true, clearOnComplete: false },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(p) {
        const payload = { metrics: describeMetrics(p) };
        if (!started) {
          // An API job's step count is unknown until training starts.
          bar.start(p.totalSteps ?? 1, p.step, payload);
          started = true;
        } else {
          if (p.totalSteps) bar.setTotal(p.totalSteps);
          bar.update(p.step, payload);
        }
      },
      stop: () => started && bar.stop(),
    };
  }
  let last = "";
  return {
    update(p) {
      const line = describeProgress(p);
      if (line === last) return;
      last = line;
      stream.write(`${label}: ${line}\n`);
    },
    stop: () => undefined,
  };
}
