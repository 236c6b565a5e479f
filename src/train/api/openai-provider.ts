import { openAsBlob } from "node:fs";
import { basename } from "node:path";
import { z } from "zod";
import { apiCall, type ApiTarget } from "./http.js";
import type { FineTuneProvider, JobEvent, JobState, JobStatus } from "./provider.js";

export const OPENAI_BASE_URL = "https://api.openai.com/v1";

// Tolerant response schemas: only what vpo reads is checked, everything else passes through.
const fileSchema = z.looseObject({ id: z.string() });
const jobSchema = z.looseObject({
  id: z.string(),
  status: z.string(),
  fine_tuned_model: z.string().nullish(),
  error: z.looseObject({ message: z.string().nullish(), code: z.string().nullish() }).nullish(),
});
const eventsSchema = z.looseObject({
  data: z.array(
    z.looseObject({
      id: z.string(),
      created_at: z.number().nullish(),
      level: z.string().nullish(),
      message: z.string().nullish(),
      type: z.string().nullish(),
      data: z.record(z.string(), z.unknown()).nullish(),
    }),
  ),
});

const STATUS: Record<string, JobStatus> = { validating_files: "queued", queued: "queued", running: "running", succeeded: "succeeded", failed: "failed", cancelled: "cancelled" };

function jobState(value: unknown): JobState {
  const job = jobSchema.parse(value);
  const error = job.error?.message ? `${job.error.message}${job.error.code ? ` (${job.error.code})` : ""}` : undefined;
  return { id: job.id, status: STATUS[job.status] ?? "running", providerStatus: job.status, model: job.fine_tuned_model ?? undefined, error, raw: job };
}

const num = (v: unknown) => (typeof v === "number" && Number.isFinite(v) ? v : undefined);

/** OpenAI's Files and fine_tuning.jobs endpoints. */
export function openAiProvider(target: ApiTarget): FineTuneProvider {
  return {
    name: "openai",
    async uploadFile(path, signal) {
      const form = new FormData();
      form.append("purpose", "fine-tune");
      form.append("file", await openAsBlob(path), basename(path));
      return fileSchema.parse(await apiCall(target, "POST", "files", form, signal));
    },
    createJob: async (body, signal) => jobState(await apiCall(target, "POST", "fine_tuning/jobs", body, signal)),
    getJob: async (id, signal) => jobState(await apiCall(target, "GET", `fine_tuning/jobs/${encodeURIComponent(id)}`, undefined, signal)),
    async listEvents(id, signal) {
      const page = eventsSchema.parse(await apiCall(target, "GET", `fine_tuning/jobs/${encodeURIComponent(id)}/events?limit=100`, undefined, signal));
      // The API lists newest first.
      return page.data
        .map((e): JobEvent => {
          const d = e.data ?? {};
          const metrics = e.type === "metrics" ? { step: num(d.step), totalSteps: num(d.total_steps), loss: num(d.train_loss), accuracy: num(d.train_mean_token_accuracy) } : undefined;
          return { id: e.id, createdAt: e.created_at ? new Date(e.created_at * 1000).toISOString() : undefined, level: e.level ?? undefined, message: e.message ?? "", metrics };
        })
        .reverse();
    },
    async cancelJob(id, signal) {
      await apiCall(target, "POST", `fine_tuning/jobs/${encodeURIComponent(id)}/cancel`, undefined, signal);
    },
  };
}
