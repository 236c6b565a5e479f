import { AbortedError, errorRecord } from "../errors.js";
import type { RunStore } from "../store/run-store.js";
import type { Item, ItemError, NewItem } from "../store/types.js";

/** A failure inside one step of an item (teacher, judge, refine, video, reward …), kept with the step's name. */
export class StepError extends Error {
  constructor(
    readonly step: string,
    readonly error: ItemError,
  ) {
    super(`${step}: ${error.message}`);
  }
}

/** Runs `fn` as the named step: anything it throws (but an abort) becomes a StepError naming the step. */
export async function step<T>(name: string, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  try {
    return await fn();
  } catch (error) {
    if (error instanceof AbortedError || signal?.aborted) throw new AbortedError();
    if (error instanceof StepError) throw error;
    const { code, message } = errorRecord(error);
    throw new StepError(name, { code, message, step: name });
  }
}

export interface ItemWork<O, C> {
  /** What an earlier, interrupted or failed attempt finished (resume from there). */
  checkpoint: C | undefined;
  /** Persist finished steps now, so a crash or a retry does not repeat them. */
  save(checkpoint: C): void;
  signal: AbortSignal;
}

export interface ItemResult<O> {
  output: O;
  provenanceId?: number;
  children?: NewItem[];
}

export type ItemOutcome = "done" | "failed" | "aborted" | "skipped";

/**
 * Claims a pending item, runs it, and commits the result (with the items it creates) or the failure, each in one
 * transaction. Done and failed items are skipped (failed ones until --retry-failed puts them back to pending);
 * an aborted item goes back to pending for the next run. Once `stop` fires, no new item starts.
 */
export async function runItem<I, O, C>(
  store: RunStore,
  item: Item<I, O, C>,
  signals: { stop?: AbortSignal; signal: AbortSignal },
  work: (item: Item<I, O, C>, ctx: ItemWork<O, C>) => Promise<ItemResult<O>>,
): Promise<ItemOutcome> {
  const { signal } = signals;
  if (item.status !== "pending") return "skipped";
  if (signal.aborted || signals.stop?.aborted) return "aborted";
  const attempt = store.claim(item);
  try {
    const result = await work(item, { checkpoint: item.checkpoint, save: (c) => store.checkpoint(item, c), signal });
    store.complete(item, attempt, result.output, { provenanceId: result.provenanceId, children: result.children });
    return "done";
  } catch (error) {
    if (error instanceof AbortedError || signal.aborted) {
      store.release(item, attempt);
      return "aborted";
    }
    store.fail(item, attempt, error instanceof StepError ? error.error : { ...errorRecord(error) });
    return "failed";
  }
}
