/** Per-stage progress of a pipeline run, reported to an `onProgress` callback (the CLI draws bars with ETA from it). */
export interface StageProgress {
  stage: string;
  /** Items known so far (later stages grow as earlier ones create work). */
  total: number;
  /** Finished in an earlier run. */
  skipped: number;
  done: number;
  failed: number;
  inFlight: number;
}

export interface PipelineProgress {
  stages: StageProgress[];
  /** Queries whose every item is finished, this run and earlier. */
  queriesFinished: number;
  queriesTotal: number;
  elapsedMs: number;
}

export type ProgressListener = (progress: PipelineProgress) => void;

/** Counts per stage; `emit` is throttled so thousands of items do not flood the listener. */
export class ProgressTracker {
  private readonly stages = new Map<string, StageProgress>();
  private readonly started = Date.now();
  private lastEmit = 0;
  queriesFinished = 0;

  constructor(
    stageNames: string[],
    public queriesTotal: number,
    private readonly listener?: ProgressListener,
    private readonly intervalMs = 200,
  ) {
    for (const stage of stageNames) this.stages.set(stage, { stage, total: 0, skipped: 0, done: 0, failed: 0, inFlight: 0 });
  }

  private get(stage: string): StageProgress {
    return this.stages.get(stage)!;
  }

  /** An item seen for the first time in this run, in its current state. */
  seen(stage: string, status: "pending" | "running" | "done" | "failed"): void {
    const s = this.get(stage);
    s.total++;
    if (status === "done" || status === "failed") s.skipped++;
  }

  begin(stage: string): void {
    this.get(stage).inFlight++;
    this.emit();
  }

  finished(stage: string, outcome: "done" | "failed" | "aborted" | "skipped"): void {
    const s = this.get(stage);
    s.inFlight--;
    if (outcome === "done") s.done++;
    else if (outcome === "failed") s.failed++;
    this.emit();
  }

  queryFinished(): void {
    this.queriesFinished++;
    this.emit();
  }

  snapshot(): PipelineProgress {
    return { stages: [...this.stages.values()].map((s) => ({ ...s })), queriesFinished: this.queriesFinished, queriesTotal: this.queriesTotal, elapsedMs: Date.now() - this.started };
  }

  emit(force = false): void {
    if (!this.listener) return;
    const now = Date.now();
    if (!force && now - this.lastEmit < this.intervalMs) return;
    this.lastEmit = now;
    this.listener(this.snapshot());
  }
}
