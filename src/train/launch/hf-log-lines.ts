import type { TrainingProgress } from "./training-progress.js";

/**
 * Progress from a Hugging Face Trainer's console output, for engines that write no trainer_log.jsonl (TRL): the
 * tqdm bar ("  12/200 [00:30<07:50, …]") gives steps and ETA, the printed log dicts ("{'loss': 1.23, …}" or, in newer
 * transformers, "{'loss': '1.23', …}") give the metrics.
 */
export class HfConsoleProgress {
  private state: TrainingProgress = { step: 0 };

  /** Feeds one output line; returns the new progress when the line changed it. */
  line(text: string): TrainingProgress | undefined {
    const bars = [...text.matchAll(/(\d+)\/(\d+) \[(\d+(?::\d+)+)<(\d+(?::\d+)+|\?)/g)];
    const bar = bars.at(-1);
    if (bar) {
      const step = Number(bar[1]);
      const total = Number(bar[2]);
      if (step === this.state.step && total === this.state.totalSteps) return undefined;
      this.state = { ...this.state, step, totalSteps: total, elapsedMs: clock(bar[3]!), etaMs: bar[4] === "?" ? undefined : clock(bar[4]!) };
      return { ...this.state };
    }
    const metrics = logDict(text);
    if (!metrics) return undefined;
    this.state = {
      ...this.state,
      // train_loss is the run's mean in the closing summary, not the current loss.
      loss: metrics.loss ?? this.state.loss ?? metrics.train_loss,
      accuracy: metrics["rewards/accuracies"] ?? this.state.accuracy,
      reward: metrics["rewards/margins"] ?? this.state.reward,
      learningRate: metrics.learning_rate ?? this.state.learningRate,
      epoch: metrics.epoch ?? this.state.epoch,
    };
    return { ...this.state };
  }

  /** Every metric the last log dicts carried (the final one holds train_runtime, train_loss, …). */
  readonly metrics: Record<string, number> = {};

  private remember(values: Record<string, number>): void {
    Object.assign(this.metrics, values);
  }

  /** Like `line`, and keeps the metrics for the run record. */
  feed(text: string): TrainingProgress | undefined {
    const values = logDict(text);
    if (values) this.remember(values);
    return this.line(text);
  }
}

function clock(text: string): number {
  return text.split(":").reduce((total, part) => total * 60 + Number(part), 0) * 1000;
}

/** A printed Python dict of numbers (quoted or not): "{'loss': 0.69, 'epoch': '0.5'}". */
export function logDict(text: string): Record<string, number> | undefined {
  const body = /\{('[^']+': '?[-+0-9.eEinfa]+'?(?:, )?)+\}/.exec(text)?.[0];
  if (!body) return undefined;
  const values: Record<string, number> = {};
  for (const [, key, raw] of body.matchAll(/'([^']+)': '?([-+0-9.eEinfa]+)'?/g)) {
    const n = Number(raw);
    if (Number.isFinite(n)) values[key!] = n;
  }
  return Object.keys(values).length ? values : undefined;
}
