/** The fine-tuning API operations vpo needs, one implementation per provider (OpenAI, Together). */
export interface FineTuneProvider {
  name: "openai" | "together";
  uploadFile(path: string, signal?: AbortSignal): Promise<{ id: string }>;
  createJob(body: Record<string, unknown>, signal?: AbortSignal): Promise<JobState>;
  getJob(id: string, signal?: AbortSignal): Promise<JobState>;
  /** The job's events, oldest first. */
  listEvents(id: string, signal?: AbortSignal): Promise<JobEvent[]>;
  cancelJob(id: string, signal?: AbortSignal): Promise<void>;
  /** Holds a job request against the provider's published limits for its model before anything is uploaded. */
  checkRequest?(request: Record<string, unknown>, stage: "sft" | "dpo", signal?: AbortSignal): Promise<void>;
}

export type JobStatus = "queued" | "running" | "succeeded" | "failed" | "cancelled";

export interface JobState {
  id: string;
  status: JobStatus;
  /** The provider's own status word ("validating_files", "compressing", …). */
  providerStatus: string;
  /** The trained model's id, once there is one. */
  model?: string;
  error?: string;
  step?: number;
  totalSteps?: number;
  raw: Record<string, unknown>;
}

export interface JobEvent {
  id: string;
  createdAt?: string;
  level?: string;
  message: string;
  /** Training metrics some events carry (OpenAI "metrics" events). */
  metrics?: { step?: number; totalSteps?: number; loss?: number; accuracy?: number };
}

export const TERMINAL: ReadonlySet<JobStatus> = new Set(["succeeded", "failed", "cancelled"]);
