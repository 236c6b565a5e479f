import { join } from "node:path";
import { countQueries, type QueryItem } from "../batch/read-queries.js";
import { RunStore } from "../store/run-store.js";
import type { Item } from "../store/types.js";
import { silentLogger, type Logger } from "../util/logger.js";
import { writeLinesAtomic } from "../util/files.js";
import { forEachQuery } from "./for-each-query.js";
import { runItem, type ItemResult, type ItemWork } from "./item-runner.js";
import { ProgressTracker, type PipelineProgress } from "./progress.js";
import type { RunControl } from "./run-control.js";

/** What differs between the runs behind `vpo data sft` and `vpo data dpo`; the rest is `runPipeline`. */
export interface PipelineSpec {
  /** "sft" or "dpo": a directory holds one kind of run. */
  pipeline: string;
  /** Settings that decide the results; a resume must pass the same (or `allowChanges`). */
  identity: Record<string, unknown>;
  /** Recorded with the run besides the queries file and `RunControl.config`. */
  config?: Record<string, unknown>;
  /** Stages that do work, in order: progress, started/finished marks. */
  stages: string[];
  /** Stages whose failed items `retryFailed` puts back (default `stages`). */
  retryStages?: string[];
  /** Stages recomputed from others (a query's pairs), marked finished with `stages`. */
  derivedStages?: string[];
  /** Requests the backends take at once, summed: the default `maxActiveQueries` keeps them all busy. */
  concurrency: number;
  /** The output file in the run directory, and its records read back from the store once the queries are done. */
  output: { file: string; records: (store: RunStore) => Iterable<unknown> };
}

/** Handed to the per-query work of a run. */
export interface PipelineRun {
  store: RunStore;
  logger: Logger;
  /** Runs a pending item through `work` (committing its result, or its failure) and counts it in the progress. */
  runStage<I, O, C>(item: Item<I, O, C>, work: (item: Item<I, O, C>, ctx: ItemWork<O, C>) => Promise<ItemResult<O>>): Promise<void>;
  /** A query whose every item is finished. */
  queryFinished(): void;
}

export interface PipelineSummary {
  runId: string;
  /** The output file, complete (written under a temporary name, renamed when done). */
  file: string;
  records: number;
  progress: PipelineProgress;
  stopped: boolean;
  /** Items a killed earlier run had in flight, put back to pending. */
  recovered: number;
  /** Failed items put back to pending by `retryFailed`. */
  retried: number;
}

/**
 * One resumable run over a queries file: opens the run store (recovering what a killed run had in flight), streams
 * the queries with bounded concurrency through `start(run)`'s per-query work, reports progress, writes the output
 * file from the store and ends the session as completed, stopped or failed.
 */
export async function runPipeline(
  control: RunControl & { queries: string; out: string },
  spec: PipelineSpec,
  start: (run: PipelineRun) => (query: QueryItem) => Promise<void>,
): Promise<PipelineSummary> {
  const logger = control.logger ?? silentLogger;
  // Left by an error, the scope records the session as failed.
  using store = RunStore.open(control.out, {
    pipeline: spec.pipeline,
    identity: spec.identity,
    config: { queries: control.queries, ...spec.config, ...control.config },
    allowChanges: control.allowChanges,
    argv: control.argv,
  });
  const { recovered } = store.session;
  if (recovered) logger.info(`resuming: ${recovered} item(s) a stopped run had in flight are pending again`);
  const retried = control.retryFailed ? store.retryFailed(spec.retryStages ?? spec.stages) : 0;
  if (retried) logger.info(`retrying ${retried} failed item(s)`);
  const signals = { stop: control.stop, signal: control.signal ?? new AbortController().signal };
  const tracker = new ProgressTracker(spec.stages, await countQueries(control.queries), control.onProgress);
  for (const stage of spec.stages) store.markStage(stage, "started");
  const run: PipelineRun = {
    store,
    logger,
    runStage: async (item, work) => {
      tracker.seen(item.stage, item.status);
      if (item.status !== "pending") return;
      tracker.begin(item.stage);
      tracker.finished(item.stage, await runItem(store, item, signals, work));
    },
    queryFinished: () => tracker.queryFinished(),
  };
  const maxActive = control.maxActiveQueries ?? Math.max(8, 2 * spec.concurrency);
  const { stopped } = await forEachQuery(control.queries, { maxActive, ...signals }, start(run));
  tracker.emit(true);
  const file = join(control.out, spec.output.file);
  const records = await writeLinesAtomic(file, jsonLines(spec.output.records(store)));
  if (!stopped) for (const stage of [...spec.stages, ...(spec.derivedStages ?? [])]) store.markStage(stage, "finished");
  store.close(stopped ? "stopped" : "completed");
  return { runId: store.run.id, file, records, progress: tracker.snapshot(), stopped, recovered, retried };
}

function* jsonLines(records: Iterable<unknown>): Generator<string> {
  for (const record of records) yield `${JSON.stringify(record)}\n`;
}
