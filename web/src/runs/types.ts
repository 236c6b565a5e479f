/** What the run browser's API answers (src/run-browser in the vpo package). */
export interface StageStatus {
  stage: string;
  pending: number;
  running: number;
  done: number;
  failed: number;
  startedAt?: string;
  finishedAt?: string;
}

export interface RunSummary {
  name: string;
  id: string;
  pipeline: string;
  createdAt: string;
  active: boolean;
  lastOutcome?: string;
  stages: StageStatus[];
  total: number;
  finished: number;
  failed: number;
}

export type RunListEntry = RunSummary | { name: string; error: string };

export interface FailureReason {
  stage: string;
  code: string;
  step?: string;
  message: string;
  count: number;
  examples: string[];
}

export interface RunDetail extends RunSummary {
  failures: FailureReason[];
  sessions: { started: number; crashed: number };
}

export type ItemStatus = "pending" | "running" | "done" | "failed";

export interface ItemView {
  stage: string;
  key: string;
  queryIndex: number;
  status: ItemStatus;
  attempts: number;
  updatedAt: string;
  query?: string;
  prompt?: string;
  error?: { code: string; message: string; step?: string };
}

export interface SftView {
  queryIndex: number;
  query: string;
  teacherPrompt: string;
  category: string;
  critique: string;
  refined: boolean;
  prompt: string;
}

export interface PairView {
  queryIndex: number;
  query: string;
  source: "text" | "video";
  chosen: string;
  rejected: string;
  critique?: string;
  scores?: { chosen: number; rejected: number };
  gap?: number;
  answers?: { chosen: string[]; rejected: string[] };
  videos?: { chosen?: string; rejected?: string };
}

export interface Histogram {
  n: number;
  bins: { low: number; high: number; count: number }[];
}

export interface RunCharts {
  scores: Histogram;
  gaps: Histogram;
  pairs: { text: number; video: number };
}

export interface Checklist {
  questions: string[];
  weights: number[];
  dimensions: (string | null)[];
  placeholder: string;
}
