import { openAsBlob } from "node:fs";
import { basename } from "node:path";
import { z } from "zod";
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
  };
}
