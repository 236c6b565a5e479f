import { open, stat } from "node:fs/promises";
import { StringDecoder } from "node:string_decoder";
import { z } from "zod";
import { parseTimedelta, type TrainingProgress } from "./training-progress.js";

/**
 * One row of LLaMA-Factory's `<output_dir>/trainer_log.jsonl` (written by its LogCallback on every logging step;
 * keys whose value is None are left out).
 */
export const trainerLogRowSchema = z.looseObject({
  current_steps: z.number(),
  total_steps: z.number(),
  loss: z.number().optional(),
  eval_loss: z.number().optional(),
  reward: z.number().optional(),
  accuracy: z.number().optional(),
  lr: z.number().optional(),
  epoch: z.number().optional(),
  percentage: z.number().optional(),
  elapsed_time: z.string().optional(),
  remaining_time: z.string().optional(),
});
export type TrainerLogRow = z.infer<typeof trainerLogRowSchema>;

export function progressFromTrainerLog(row: TrainerLogRow): TrainingProgress {
  return {
    step: row.current_steps,
    totalSteps: row.total_steps,
    loss: row.loss,
    accuracy: row.accuracy,
    reward: row.reward,
    learningRate: row.lr,
    epoch: row.epoch,
    elapsedMs: parseTimedelta(row.elapsed_time),
    etaMs: parseTimedelta(row.remaining_time),
  };
}

/**
 * Follows a JSONL file another process appends to: polls for growth, hands over complete lines only, and starts
 * over when the file shrinks or is replaced (LLaMA-Factory deletes an old log when it overwrites an output folder).
 * Lines already there when following starts are skipped, so a re-run does not replay the last run's progress.
 */
export class JsonlTail {
  private offset = 0;
  private pending = "";
  private decoder = new StringDecoder("utf8");
  private timer: NodeJS.Timeout | undefined;
  private reading: Promise<void> = Promise.resolve();
  private inode: number | undefined;

  constructor(
    readonly path: string,
    private readonly onLine: (value: unknown, raw: string) => void,
    private readonly intervalMs = 500,
  ) {}

  async start(): Promise<void> {
    const info = await stat(this.path).catch(() => undefined);
    this.offset = info?.size ?? 0;
    this.inode = info?.ino;
    this.timer = setInterval(() => void this.poll(), this.intervalMs);
  }

  /** Reads what is left (the engine has exited) and stops polling. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.poll();
    await this.reading;
  }

  private poll(): Promise<void> {
    this.reading = this.reading.then(() => this.readNew()).catch(() => undefined);
    return this.reading;
  }

  private async readNew(): Promise<void> {
    const info = await stat(this.path).catch(() => undefined);
    if (!info) return;
    if (info.size < this.offset || (this.inode !== undefined && info.ino !== this.inode)) {
      this.offset = 0;
      this.pending = "";
      this.decoder = new StringDecoder("utf8");
    }
    this.inode = info.ino;
    if (info.size === this.offset) return;
    const handle = await open(this.path, "r");
    try {
      const buffer = Buffer.alloc(info.size - this.offset);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.offset);
      this.offset += bytesRead;
      const text = this.pending + this.decoder.write(buffer.subarray(0, bytesRead));
      const lines = text.split("\n");
      this.pending = lines.pop() ?? "";
      for (const raw of lines) {
        if (!raw.trim()) continue;
        try {
          this.onLine(JSON.parse(raw), raw);
        } catch {
          // A line that is not JSON is not progress; the engine's own log keeps it.
        }
      }
    } finally {
      await handle.close();
    }
  }
}
