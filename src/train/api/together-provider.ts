import { openAsBlob } from "node:fs";
import { basename } from "node:path";
import { z } from "zod";
import { UsageError } from "../../errors.js";
import { apiCall, type ApiTarget } from "./http.js";
import type { FineTuneProvider, JobEvent, JobState, JobStatus } from "./provider.js";

export const TOGETHER_BASE_URL = "https://api.together.xyz/v1";

const fileSchema = z.looseObject({ id: z.string() });
const jobSchema = z.looseObject({
  id: z.string(),
  status: z.string(),
  output_name: z.string().nullish(),
  model_output_name: z.string().nullish(),
  steps_completed: z.number().nullish(),
  total_steps: z.number().nullish(),
});
const eventSchema = z.looseObject({
  message: z.string().nullish(),
  type: z.string().nullish(),
  level: z.string().nullish(),
  created_at: z.string().nullish(),
  hash: z.string().nullish(),
});
const eventsSchema = z.looseObject({ data: z.array(eventSchema) });

/**
 * GET fine-tunes/models/limits?model_name=… (together-typescript 5d7f323d src/resources/fine-tuning.ts:176-177, the
 * FinetuneModelLimits type at 470-535; together-python eba5e5f0 src/together/types/finetune.py:398-422).
 */
const limitsSchema = z.looseObject({
  max_num_epochs: z.number().nullish(),
  max_learning_rate: z.number().nullish(),
  min_learning_rate: z.number().nullish(),
  full_training: z.looseObject({ max_batch_size: z.number(), max_batch_size_dpo: z.number().nullish(), min_batch_size: z.number() }).nullish(),
});

/**
 * The checks together-python runs before it creates a job (src/together/resources/finetune.py:143-166 at eba5e5f0):
 * full training must be offered for the model, and the batch size lie within its limits — DPO's maximum is its own,
 * half the SFT one when the API does not say (types/finetune.py:403-407). Epochs and learning rate against the
 * published bounds too, so a job the API would refuse fails here, before the upload.
 */
export function togetherLimitProblems(request: Record<string, unknown>, stage: "sft" | "dpo", value: unknown): string[] {
  const limits = limitsSchema.parse(value);
  const model = String(request.model);
  const full = limits.full_training;
  if (!full) return [`${model} offers no full fine-tuning on Together (only LoRA)`];
  const problems: string[] = [];
  const batch = request.batch_size;
  const max = stage === "dpo" ? (full.max_batch_size_dpo ?? Math.floor(full.max_batch_size / 2)) : full.max_batch_size;
  if (typeof batch === "number" && (batch > max || batch < full.min_batch_size)) problems.push(`batch_size ${batch} is outside ${model}'s ${stage} range ${full.min_batch_size}-${max}`);
  const epochs = request.n_epochs;
  if (typeof epochs === "number" && limits.max_num_epochs && epochs > limits.max_num_epochs) problems.push(`n_epochs ${epochs} is above ${model}'s maximum ${limits.max_num_epochs}`);
  const lr = request.learning_rate;
  if (typeof lr === "number" && ((limits.max_learning_rate && lr > limits.max_learning_rate) || (limits.min_learning_rate && lr < limits.min_learning_rate))) {
    problems.push(`learning_rate ${lr} is outside ${model}'s range ${limits.min_learning_rate}-${limits.max_learning_rate}`);
  }
  return problems;
}

const STATUS: Record<string, JobStatus> = {
  pending: "queued",
  queued: "queued",
  running: "running",
  compressing: "running",
  uploading: "running",
  completed: "succeeded",
  error: "failed",
  user_error: "failed",
  cancel_requested: "cancelled",
  cancelled: "cancelled",
};

function toEvent(e: z.infer<typeof eventSchema>, index: number): JobEvent {
  return { id: e.hash ?? `${e.created_at ?? ""}#${index}`, createdAt: e.created_at ?? undefined, level: e.level ?? undefined, message: e.message ?? e.type ?? "" };
}

const isError = (e: z.infer<typeof eventSchema>) => e.level?.toLowerCase() === "error" || e.type === "JOB_ERROR" || e.type === "JOB_USER_ERROR";

/** Together AI's files and fine-tunes endpoints. */
export function togetherProvider(target: ApiTarget): FineTuneProvider {
  const listEvents = async (id: string, signal?: AbortSignal) => eventsSchema.parse(await apiCall(target, "GET", `fine-tunes/${encodeURIComponent(id)}/events`, undefined, signal)).data;
  const state = async (value: unknown, signal?: AbortSignal): Promise<JobState> => {
    const job = jobSchema.parse(value);
    const status = STATUS[job.status] ?? "running";
    // A failed job says why in its events, not in the job object.
    const error = status === "failed" ? ((await listEvents(job.id, signal).catch(() => [])).filter(isError).map((e) => e.message).filter(Boolean).at(-1) ?? `job ended with status ${job.status}`) : undefined;
    return {
      id: job.id,
      status,
      providerStatus: job.status,
      model: job.output_name ?? job.model_output_name ?? undefined,
      error: error ?? undefined,
      step: job.steps_completed ?? undefined,
      totalSteps: job.total_steps ?? undefined,
      raw: job,
    };
  };
  return {
    name: "together",
    async uploadFile(path, signal) {
      const form = new FormData();
      form.append("purpose", "fine-tune");
      form.append("file_name", basename(path));
      form.append("file_type", "jsonl");
      form.append("file", await openAsBlob(path), basename(path));
      return fileSchema.parse(await apiCall(target, "POST", "files/upload", form, signal));
    },
    createJob: async (body, signal) => state(await apiCall(target, "POST", "fine-tunes", body, signal), signal),
    getJob: async (id, signal) => state(await apiCall(target, "GET", `fine-tunes/${encodeURIComponent(id)}`, undefined, signal), signal),
    listEvents: async (id, signal) => (await listEvents(id, signal)).map(toEvent),
    async cancelJob(id, signal) {
      await apiCall(target, "POST", `fine-tunes/${encodeURIComponent(id)}/cancel`, undefined, signal);
    },
    async checkRequest(request, stage, signal) {
      // A job continuing a checkpoint (DPO after SFT) names no model; its limits were the SFT job's.
      if (typeof request.model !== "string") return;
      const limits = await apiCall(target, "GET", `fine-tunes/models/limits?model_name=${encodeURIComponent(request.model)}`, undefined, signal);
      const problems = togetherLimitProblems(request, stage, limits);
      if (problems.length) throw new UsageError(`Together would refuse this ${stage} job: ${problems.join("; ")} (limits from fine-tunes/models/limits); change the job spec or --api-model and export again`);
    },
  };
}
