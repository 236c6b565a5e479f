/** One progress report of a training run, whatever engine or API it came from. */
export interface TrainingProgress {
  step: number;
  totalSteps?: number;
  loss?: number;
  /** DPO reward accuracy (chosen rewarded above rejected), 0..1. */
  accuracy?: number;
  /** DPO reward margin or mean reward, when the engine reports one. */
  reward?: number;
  learningRate?: number;
  epoch?: number;
  elapsedMs?: number;
  /** The engine's own estimate of the time left, when it gives one. */
  etaMs?: number;
  /** A status line from an API ("queued", "running", an event message). */
  message?: string;
}

/** Python `str(timedelta)` ("0:01:05", "1 day, 2:03:04") to milliseconds. */
export function parseTimedelta(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const match = /^(?:(\d+) days?, )?(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(text.trim());
  if (!match) return undefined;
  const [, days, h, m, s] = match;
  return ((Number(days ?? 0) * 24 + Number(h)) * 3600 + Number(m) * 60 + Number(s)) * 1000;
}
