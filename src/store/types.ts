export type ItemStatus = "pending" | "running" | "done" | "failed";

/** A failure as stored: a stable code, a one-line reason, and the step of the item that failed. */
export interface ItemError {
  code: string;
  message: string;
  step?: string;
}

/** One unit of work of one stage, e.g. stage "text-feedback", key "12/3" (query 12, candidate 3). */
export interface Item<I = unknown, O = unknown, C = unknown> {
  id: number;
  stage: string;
  key: string;
  queryIndex: number;
  status: ItemStatus;
  input: I;
  /** Steps of an unfinished item already done (a judge verdict before its refinement), kept across crashes. */
  checkpoint?: C;
  output?: O;
  error?: ItemError;
  provenanceId?: number;
  attempts: number;
  createdAt: string;
  updatedAt: string;
}

/** An item to create, as the child of one being completed (in the same transaction). */
export interface NewItem<I = unknown> {
  stage: string;
  key: string;
  queryIndex: number;
  input: I;
}

export interface StageCounts {
  stage: string;
  pending: number;
  running: number;
  done: number;
  failed: number;
}

export interface FailureReason {
  stage: string;
  code: string;
  step?: string;
  message: string;
  count: number;
  /** A few item keys with this reason. */
  examples: string[];
}
