import { join } from "node:path";
import { countQueries } from "../batch/read-queries.js";
import type { TextModel } from "../model/types.js";
import { RunStore } from "../store/run-store.js";
import { silentLogger } from "../util/logger.js";
import { CRITIC_TEMPLATES, type Critic } from "./critique.js";
import { forEachQuery } from "./for-each-query.js";
import { runItem } from "./item-runner.js";
import { ProgressTracker, type PipelineProgress } from "./progress.js";
import type { RunControl } from "./run-control.js";
import { queryItemFor, unreadableQuery } from "./query-item.js";
import { STAGES, type SftDataRecord } from "./records.js";
import type { QueryInput } from "./stages/sample.js";
import { sftQuery, type SftItem, type SftOutput } from "./stages/sft.js";
import { teacherTemplate, type TeacherTemplate } from "./teacher.js";
import { writeJsonlAtomic } from "./write-jsonl.js";

export interface SftRunOptions extends RunControl {
  queries: string;
  /** Output directory: run.sqlite and sft.jsonl. */
  out: string;
  teacher: TextModel;
  critic: Critic;
  /** Default: our few-shot demonstrations (see DEFAULT_DEMONSTRATIONS); loadDemonstrations(file) replaces them. */
  template?: TeacherTemplate;
  /** Teacher sampling (default T 0.7, top_p 1, 512 tokens, seed 0; query i uses seed + i). */
  sampling?: Partial<{ temperature: number; topP: number; maxTokens: number; seed: number }>;
}

export interface SftRunSummary {
  runId: string;
  sftFile: string;
  records: number;
  refined: number;
  progress: PipelineProgress;
  stopped: boolean;
  recovered: number;
  retried: number;
}

export const DEFAULT_TEACHER_SAMPLING = { temperature: 0.7, topP: 1, maxTokens: 512, seed: 0 };

/** `vpo data sft`: per query, teacher prompt → judge critique → refinement when flagged → sft.jsonl (s = p or p_refined). */
export async function runSft(options: SftRunOptions): Promise<SftRunSummary> {
  const logger = options.logger ?? silentLogger;
  const template = options.template ?? teacherTemplate();
  const sampling = { ...DEFAULT_TEACHER_SAMPLING, ...options.sampling };
  const provenance = {
    teacher: options.teacher.info,
    demonstrations: { source: template.source, version: template.version },
    sampling,
    judge: options.critic.judge.info,
    refiner: (options.critic.refiner ?? options.critic.judge).info,
    ...CRITIC_TEMPLATES,
  };
  const store = RunStore.open(options.out, { pipeline: "sft", identity: provenance, config: { queries: options.queries, ...options.config }, allowChanges: options.allowChanges, argv: options.argv });
  let outcome: "completed" | "stopped" | "failed" = "failed";
  try {
    if (store.session.recovered) logger.info(`resuming: ${store.session.recovered} item(s) a stopped run had in flight are pending again`);
    const retried = options.retryFailed ? store.retryFailed([STAGES.sft]) : 0;
    if (retried) logger.info(`retrying ${retried} failed item(s)`);
    const signal = options.signal ?? new AbortController().signal;
    const provenanceId = store.provenanceId(provenance);
    const tracker = new ProgressTracker([STAGES.sft], await countQueries(options.queries), options.onProgress);
    store.markStage(STAGES.sft, "started");
    const ctx = { teacher: options.teacher, template, critic: options.critic, sampling, provenanceId };
    const maxActive = options.maxActiveQueries ?? Math.max(8, 2 * (options.teacher.concurrency + options.critic.judge.concurrency));
    const { stopped } = await forEachQuery(options.queries, { maxActive, stop: options.stop, signal }, async (q) => {
      const item = queryItemFor(store, STAGES.sft, q, options.queries);
      tracker.seen(STAGES.sft, item.status);
      if (item.status === "pending") {
        tracker.begin(STAGES.sft);
        const bad = unreadableQuery(item.input);
        // Past this check the item holds a query (an unreadable line fails here with its reason).
        const sftItem = item as unknown as SftItem;
        tracker.finished(STAGES.sft, await runItem(store, sftItem, { stop: options.stop, signal }, (it, work) => (bad ? Promise.reject(bad) : sftQuery(ctx, it, work))));
      }
      if (item.status === "done" || item.status === "failed") tracker.queryFinished();
    });
    tracker.emit(true);
    let refined = 0;
    const provenanceRows = store.provenanceTable();
    const sftFile = join(options.out, "sft.jsonl");
    const records = await writeJsonlAtomic(
      sftFile,
      (function* (): Generator<SftDataRecord> {
        for (const item of store.iterateDone<QueryInput, SftOutput, unknown>(STAGES.sft)) {
          const o = item.output!;
          if (o.refined) refined++;
          yield {
            ...(item.input.id !== undefined ? { id: item.input.id } : {}),
            query: item.input.query,
            prompt: o.prompt,
            critique: o.critique,
            verdict: o.judgement.verdict.category,
            refined: o.refined,
            ...(o.refined ? { teacherPrompt: o.teacherPrompt } : {}),
            provenance: {
              runId: store.run.id,
              stage: "sft",
              queryIndex: item.queryIndex,
              ...(item.input.line !== undefined ? { line: item.input.line } : {}),
              createdAt: item.updatedAt,
              seed: o.seed,
              judgement: o.judgement,
              ...provenanceRows.get(item.provenanceId ?? 0),
            },
          };
        }
      })(),
    );
    if (!stopped) store.markStage(STAGES.sft, "finished");
    outcome = stopped ? "stopped" : "completed";
    return { runId: store.run.id, sftFile, records, refined, progress: tracker.snapshot(), stopped, recovered: store.session.recovered, retried };
  } finally {
    store.close(outcome);
  }
}
