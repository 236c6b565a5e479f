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
 * A replacement is noticed by inode, by size, or by its first bytes changing (a new file can reuse the inode and
 * reach the old size between two polls). Lines already there when following starts are skipped, so a resumed run
 * does not replay old progress.
 */
const HEAD_BYTES = 64;

export class JsonlTail {
  private offset = 0;
  private pending = "";
  private decoder = new StringDecoder("utf8");
  private timer: NodeJS.Timeout | undefined;
  private reading: Promise<void> = Promise.resolve();
  private inode: number | undefined;
  /** The file's first bytes as last seen, to tell a replaced file from a grown one. */
  private head: Buffer = Buffer.alloc(0);

  constructor(
    readonly path: string,
    private readonly onLine: (value: unknown, raw: string) => void,
    private readonly intervalMs = 500,
  ) {}

  /** `fromStart`: the file is new for this run (it was removed before the engine started). */
  async start({ fromStart = false } = {}): Promise<void> {
    const info = fromStart ? undefined : await stat(this.path).catch(() => undefined);
    this.offset = info?.size ?? 0;
    this.inode = info?.ino;
    if (info) this.head = await this.readHead();
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
    const replaced = info.size < this.offset || (this.inode !== undefined && info.ino !== this.inode) || (this.head.length > 0 && !(await this.readHead()).subarray(0, this.head.length).equals(this.head));
    if (replaced) {
      this.offset = 0;
      this.pending = "";
      this.decoder = new StringDecoder("utf8");
      this.head = Buffer.alloc(0);
    }
    this.inode = info.ino;
    if (info.size === this.offset) return;
    const handle = await open(this.path, "r");
    try {
      const buffer = Buffer.alloc(info.size - this.offset);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, this.offset);
      this.offset += bytesRead;
      if (this.head.length < HEAD_BYTES) this.head = await this.readHead();
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

  private async readHead(): Promise<Buffer> {
    const handle = await open(this.path, "r").catch(() => undefined);
    if (!handle) return Buffer.alloc(0);
    try {
      const buffer = Buffer.alloc(HEAD_BYTES);
      const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  }
}
