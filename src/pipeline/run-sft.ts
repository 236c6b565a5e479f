import { endpointReport, type EndpointReport } from "../model/pool/endpoint-report.js";
import type { TextModel } from "../model/types.js";
import { CRITIC_TEMPLATES, safetyProvenance, type Critic } from "./critique.js";
import { runPipeline } from "./pipeline-run.js";
import type { PipelineProgress } from "./progress.js";
import { holdsQuery, queryItemFor, unreadableQuery } from "./query-item.js";
import type { RunControl } from "./run-control.js";
import { STAGES, type SftDataRecord } from "./records.js";
import { sftQuery } from "./stages/sft.js";
import { teacherTemplate, type TeacherTemplate } from "./teacher.js";
import { withTargetGuide } from "../target/guide.js";
import { targetInfo, type TargetSettings } from "../target/target-settings.js";

export interface SftRunOptions extends RunControl {
  queries: string;
  /** Output directory: run.sqlite and sft.jsonl. */
  out: string;
  teacher: TextModel;
  critic: Critic;
  /** Default: our few-shot demonstrations (see DEFAULT_DEMONSTRATIONS); loadDemonstrations(file) replaces them. */
  template?: TeacherTemplate;
  /** The video model the data is for (--target): its guide in the teacher's system turn, and in provenance. */
  target?: TargetSettings;
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
  /** Requests, failures and ejections per endpoint of the models that are endpoint pools. */
  endpoints?: EndpointReport;
}

export const DEFAULT_TEACHER_SAMPLING = { temperature: 0.7, topP: 1, maxTokens: 512, seed: 0 };

/** The teacher's template with the target's guide merged into its system turn (a new version when it changes). */
function forTarget(template: TeacherTemplate, target: TargetSettings | undefined): TeacherTemplate {
  if (!target) return template;
  const guided = withTargetGuide({ name: "teacher", version: template.version, render: template.render }, target.profile, target.budget);
  return { ...template, version: guided.version, render: guided.render };
}

/** `vpo data sft`: per query, teacher prompt → judge critique → refinement when flagged → sft.jsonl (s = p or p_refined). */
export async function runSft(options: SftRunOptions): Promise<SftRunSummary> {
  const template = forTarget(options.template ?? teacherTemplate(), options.target);
  const sampling = { ...DEFAULT_TEACHER_SAMPLING, ...options.sampling };
  const safety = safetyProvenance(options.critic);
  const provenance = {
    teacher: options.teacher.info,
    demonstrations: { source: template.source, version: template.version },
    ...(options.target ? { target: targetInfo(options.target) } : {}),
    sampling,
    judge: options.critic.judge.info,
    refiner: (options.critic.refiner ?? options.critic.judge).info,
    ...CRITIC_TEMPLATES,
    safety,
  };
  let refined = 0;
  const summary = await runPipeline(
    options,
    {
      pipeline: "sft",
      identity: provenance,
      stages: [STAGES.sft],
      concurrency: options.teacher.concurrency + options.critic.judge.concurrency,
      output: {
        file: "sft.jsonl",
        *records(store): Generator<SftDataRecord> {
          const provenanceRows = store.provenanceTable();
          for (const item of store.iterateDone(STAGES.sft)) {
            // Done items always hold a query (an unreadable line fails); the check narrows the type.
            if (!holdsQuery(item)) continue;
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
                safety,
              },
            };
          }
        },
      },
    },
    (run) => {
      const ctx = { teacher: options.teacher, template, critic: options.critic, sampling, provenanceId: run.store.provenanceId(provenance) };
      return async (q) => {
        const item = queryItemFor(run.store, STAGES.sft, q, options.queries);
        await run.runStage(item, (it, work) => (holdsQuery(it) ? sftQuery(ctx, it, work) : Promise.reject(unreadableQuery(it.input))));
        if (item.status === "done" || item.status === "failed") run.queryFinished();
      };
    },
  );
  const { file: sftFile, records, progress, stopped, recovered, retried, runId } = summary;
  const endpoints = endpointReport({ teacher: options.teacher, judge: options.critic.judge, refiner: options.critic.refiner });
  return { runId, sftFile, records, refined, progress, stopped, recovered, retried, ...(endpoints ? { endpoints } : {}) };
}
