import { setMaxListeners } from "node:events";
import { AbortedError } from "../errors.js";
import { readQueries, type QueryItem } from "../batch/read-queries.js";

export interface ForEachQueryOptions {
  /** Queries in flight at once: enough to keep every backend busy, few enough to keep memory flat. */
  maxActive: number;
  /** Stop starting queries (those in flight finish their started items). */
  stop?: AbortSignal;
  signal: AbortSignal;
}

/**
 * Streams the queries file and runs `fn` on each with at most `maxActive` at once, so memory stays flat in the
 * number of queries. A non-abort error from `fn` is fatal: no new query starts, in-flight ones settle, it is rethrown.
 */
export async function forEachQuery(path: string, options: ForEachQueryOptions, fn: (item: QueryItem) => Promise<void>): Promise<{ stopped: boolean }> {
  setMaxListeners(0, options.signal, ...(options.stop ? [options.stop] : []));
  const active = new Set<Promise<void>>();
  let fatal: { error: unknown } | undefined;
  let stopped = false;
  for await (const item of readQueries(path)) {
    while (active.size >= options.maxActive) await Promise.race(active);
    if (fatal) break;
    if (options.stop?.aborted || options.signal.aborted) {
      stopped = true;
      break;
    }
    const task: Promise<void> = fn(item)
      .catch((error: unknown) => {
        if (!(error instanceof AbortedError)) fatal ??= { error };
      })
      .finally(() => active.delete(task));
    active.add(task);
  }
  await Promise.all(active);
  if (fatal) throw fatal.error;
  return { stopped: stopped || options.signal.aborted || Boolean(options.stop?.aborted) };
}
