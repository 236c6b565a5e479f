export type ItemStatus = "pending" | "running" | "done" | "failed";

/** A failure as stored: a stable code, a one-line reason, and the step of the item that failed. */
export interface ItemError {
  code: string;
  message: string;
  step?: string;
}

declare const itemTypes: unique symbol;

/**
 * A stage's name carrying the types of its items' input, output and checkpoint, so the store's accessors hand back
 * typed items (a plain string works too: unknown types, unless the caller names them). The store holds the JSON that
 * stage wrote, so the types are those of its writer.
 */
export type StageId<I = unknown, O = unknown, C = unknown> = string & { readonly [itemTypes]?: [I, O, C] };

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

/** Narrows an item of any stage to the typed items of `stage`. */
export function isItemOf<I, O, C>(stage: StageId<I, O, C>): (item: Item) => item is Item<I, O, C> {
  return (item): item is Item<I, O, C> => item.stage === stage;
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
