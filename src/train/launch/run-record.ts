import { readFile } from "node:fs/promises";
import { z } from "zod";
import { writeJson } from "../formats/write-files.js";
import type { TrainingProgress } from "./training-progress.js";

export const RUN_RECORD_FILE = "vpo-run.json";

/**
 * `vpo-run.json`: one launched run, rewritten atomically as it goes, so a crash leaves the last known state. Local
 * runs keep it in the engine's output folder; API runs next to the job spec (`<stage>.run.json`).
 */
export const runRecordSchema = z.looseObject({
  format: z.literal("vpo-train-run/1"),
  engine: z.enum(["llamafactory", "trl", "openai", "together"]),
  stage: z.enum(["sft", "dpo"]),
  status: z.enum(["running", "succeeded", "failed", "interrupted"]),
  config: z.string(),
  command: z.array(z.string()).optional(),
  cwd: z.string().optional(),
  env: z.record(z.string(), z.string()).optional(),
  startedAt: z.string(),
  endedAt: z.string().optional(),
  exitCode: z.number().optional(),
  progress: z.record(z.string(), z.unknown()).optional(),
  finalMetrics: z.record(z.string(), z.number()).optional(),
  /** The trained model: an output folder for local runs, the provider's model id for API runs. */
  model: z.string().optional(),
  job: z.record(z.string(), z.unknown()).optional(),
  error: z.string().optional(),
  log: z.string().optional(),
});
export type RunRecord = z.infer<typeof runRecordSchema>;

export async function readRunRecord(path: string): Promise<RunRecord | undefined> {
  const text = await readFile(path, "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  const parsed = runRecordSchema.safeParse(JSON.parse(text));
  return parsed.success ? parsed.data : undefined;
}

/** Keeps a run record on disk: every change is written, progress at most once per `minIntervalMs`. */
export class RunRecordWriter {
  private lastProgressWrite = 0;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    readonly path: string,
    private record: RunRecord,
    private readonly minIntervalMs = 2_000,
  ) {}

  get current(): RunRecord {
    return this.record;
  }

  update(patch: Partial<RunRecord>): Promise<void> {
    this.record = { ...this.record, ...patch };
    const snapshot = this.record;
    this.writing = this.writing.then(() => writeJson(this.path, snapshot));
    return this.writing;
  }

  progress(progress: TrainingProgress): void {
    this.record = { ...this.record, progress: { ...progress } };
    const now = Date.now();
    if (now - this.lastProgressWrite < this.minIntervalMs) return;
    this.lastProgressWrite = now;
    void this.update({});
  }

  flush(): Promise<void> {
    return this.update({});
  }
}
