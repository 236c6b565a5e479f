import { readFile, stat } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { env } from "../../config.js";
import { InputError, UsageError } from "../../errors.js";
import { silentLogger, type Logger } from "../../util/logger.js";
import { describeIssues } from "../read-records.js";
import { jobSpecSchema, type JobSpec } from "../formats/job-spec.js";
import { readRunRecord, RunRecordWriter, type RunRecord } from "../launch/run-record.js";
import type { TrainingProgress } from "../launch/training-progress.js";
import type { ApiTarget } from "./http.js";
import { openAiProvider, OPENAI_BASE_URL } from "./openai-provider.js";
import { TERMINAL, type FineTuneProvider, type JobEvent, type JobState } from "./provider.js";
import { togetherProvider, TOGETHER_BASE_URL } from "./together-provider.js";

export interface ApiJobOptions {
  /** The job spec `vpo train export` wrote (`openai/sft.job.json`, …). */
  config: string;
  apiKey?: string;
  baseUrl?: string;
  /** DPO: the SFT result to start from (model id for OpenAI, job id or model name for Together). */
  from?: string;
  /** Follow an existing job instead of creating one. */
  job?: string;
  pollMs?: number;
  /** Aborting stops following (the job keeps running) — or cancels it with `cancelOnStop`. */
  stop?: AbortSignal;
  cancelOnStop?: boolean;
  onProgress?: (p: TrainingProgress) => void;
  onEvent?: (e: JobEvent) => void;
  logger?: Logger;
  timeoutMs?: number;
  retries?: number;
}

export interface ApiJobPlan {
  spec: JobSpec;
  provider: JobSpec["provider"];
  baseUrl: string;
  trainingFile: string;
  bytes: number;
  /** The create-job body, without the training file id (known after the upload). */
  request: Record<string, unknown>;
  recordPath: string;
}

export interface ApiJobResult {
  status: RunRecord["status"];
  exitCode: number;
  job?: JobState;
  model?: string;
  error?: string;
  recordPath: string;
}

export async function readJobSpec(path: string): Promise<JobSpec> {
  const text = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new InputError(error.code === "ENOENT" ? "no such job spec" : error.message, path);
  });
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new InputError(`not valid JSON: ${(error as Error).message}`, path);
  }
  const parsed = jobSpecSchema.safeParse(value);
  if (!parsed.success) throw new InputError(`not a vpo job spec: ${describeIssues(parsed.error)}`, path);
  return parsed.data;
}

const runRecordPath = (config: string, stage: string) => join(dirname(config), `${stage}.run.json`);

/** Resolves the spec into the exact upload and request (`--dry-run` prints this). DPO gets its SFT starting point. */
export async function planApiJob(options: Pick<ApiJobOptions, "config" | "baseUrl" | "from">): Promise<ApiJobPlan> {
  const spec = await readJobSpec(options.config);
  const trainingFile = resolve(dirname(options.config), spec.training_file);
  const bytes = (await stat(trainingFile).catch(() => undefined))?.size;
  if (bytes === undefined) throw new InputError(`training file ${spec.training_file} not found`, options.config);
  const request: Record<string, unknown> = { ...spec.request };
  if (spec.stage === "dpo" && (spec.from === "sft" || options.from)) {
    let start = options.from;
    if (!start) {
      const sftPath = runRecordPath(options.config, "sft");
      const sft = await readRunRecord(sftPath);
      if (!sft || sft.status !== "succeeded") throw new UsageError(`DPO starts from the SFT result, but ${sftPath} has no succeeded SFT run; run vpo train sft first, or pass --from MODEL_OR_JOB`);
      start = spec.provider === "openai" ? sft.model : String(sft.job?.id ?? "");
    }
    if (!start) throw new UsageError("no SFT result to start DPO from; pass --from MODEL_OR_JOB");
    if (spec.provider === "openai") request.model = start;
    else {
      delete request.model;
      request.from_checkpoint = start;
    }
  }
  if (spec.provider === "openai" && typeof request.model !== "string") throw new UsageError(`${options.config}: the request has no "model"`);
  const baseUrl = options.baseUrl ?? env.fineTuneBaseUrl(spec.provider) ?? (spec.provider === "openai" ? OPENAI_BASE_URL : TOGETHER_BASE_URL);
  return { spec, provider: spec.provider, baseUrl, trainingFile, bytes, request, recordPath: runRecordPath(options.config, spec.stage) };
}

function providerFor(plan: ApiJobPlan, options: ApiJobOptions): FineTuneProvider {
  const apiKey = options.apiKey ?? env.fineTuneApiKey(plan.provider);
  if (!apiKey) throw new UsageError(`no API key: pass --api-key or set ${plan.provider === "openai" ? "OPENAI_API_KEY" : "TOGETHER_API_KEY"}`);
  const target: ApiTarget = { baseUrl: plan.baseUrl, apiKey, timeoutMs: options.timeoutMs, retries: options.retries };
  return plan.provider === "openai" ? openAiProvider(target) : togetherProvider(target);
}

/**
 * Upload → create job → poll status and events until the job ends, recording everything in `<stage>.run.json` next
 * to the spec. A failed job resolves with the provider's error message and exit code 1; it never throws for that.
 */
export async function runApiJob(options: ApiJobOptions): Promise<ApiJobResult> {
  const logger = options.logger ?? silentLogger;
  const plan = await planApiJob(options);
  const provider = providerFor(plan, options);
  // Before the run record and the upload: a request the provider would refuse starts nothing.
  if (!options.job) await provider.checkRequest?.(plan.request, plan.spec.stage, options.stop);
  const record = new RunRecordWriter(plan.recordPath, {
    format: "vpo-train-run/1",
    engine: plan.provider,
    stage: plan.spec.stage,
    status: "running",
    config: resolve(options.config),
    startedAt: new Date().toISOString(),
    job: { baseUrl: plan.baseUrl, request: plan.request },
  });
  await record.flush();
  let job: JobState;
  try {
    if (options.job) job = await provider.getJob(options.job, options.stop);
    else {
      logger.info(`uploading ${plan.trainingFile} (${plan.bytes} bytes) to ${plan.provider}`);
      const file = await provider.uploadFile(plan.trainingFile, options.stop);
      await record.update({ job: { ...record.current.job, trainingFile: file.id } });
      job = await provider.createJob({ ...plan.request, training_file: file.id }, options.stop);
      logger.info(`created ${plan.provider} ${plan.spec.stage} job ${job.id}`);
    }
    await record.update({ job: { ...record.current.job, id: job.id, status: job.providerStatus } });
    const seen = new Set<string>();
    const pollMs = options.pollMs ?? 10_000;
    let progress: TrainingProgress = { step: 0 };
    for (;;) {
      for (const event of await provider.listEvents(job.id, options.stop)) {
        if (seen.has(event.id)) continue;
        seen.add(event.id);
        options.onEvent?.(event);
        if (event.metrics?.step !== undefined) progress = { ...progress, step: event.metrics.step, totalSteps: event.metrics.totalSteps ?? progress.totalSteps, loss: event.metrics.loss ?? progress.loss, accuracy: event.metrics.accuracy ?? progress.accuracy };
      }
      if (job.step !== undefined) progress = { ...progress, step: job.step, totalSteps: job.totalSteps ?? progress.totalSteps };
      progress = { ...progress, message: job.providerStatus };
      options.onProgress?.(progress);
      record.progress(progress);
      if (TERMINAL.has(job.status)) break;
      await sleep(pollMs, undefined, { signal: options.stop });
      job = await provider.getJob(job.id, options.stop);
    }
  } catch (error) {
    if (options.stop?.aborted) {
      const id = record.current.job?.id;
      if (id && options.cancelOnStop) await provider.cancelJob(String(id)).catch((e: Error) => logger.warn(`could not cancel job ${String(id)}: ${e.message}`));
      await record.update({ status: "interrupted", endedAt: new Date().toISOString() });
      return { status: "interrupted", exitCode: 130, recordPath: plan.recordPath };
    }
    const message = (error as Error).message;
    await record.update({ status: "failed", error: message, endedAt: new Date().toISOString() });
    return { status: "failed", exitCode: 1, error: message, recordPath: plan.recordPath };
  }
  const succeeded = job.status === "succeeded";
  const status: RunRecord["status"] = succeeded ? "succeeded" : "failed";
  const error = succeeded ? undefined : (job.error ?? `job ${job.status}`);
  await record.update({ status, endedAt: new Date().toISOString(), model: job.model, error, exitCode: succeeded ? 0 : 1, job: { ...record.current.job, id: job.id, status: job.providerStatus, result: job.raw } });
  return { status, exitCode: succeeded ? 0 : 1, job, model: job.model, error, recordPath: plan.recordPath };
}
