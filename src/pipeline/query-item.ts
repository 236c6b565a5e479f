import type { QueryItem } from "../batch/read-queries.js";
import { InputError, UsageError } from "../errors.js";
import type { RunStore } from "../store/run-store.js";
import type { Item, StageId } from "../store/types.js";
import type { QueryInput } from "./stages/sample.js";

/** What a query's first item holds: the query, or why its line could not be read. */
export type QueryItemInput = QueryInput | { line?: number; id?: string | number; error: { code: string; message: string } };

/**
 * The first item of a query (stage `sample` or `sft`), created on first sight. On a resume the query at that index
 * must be the one the run started with: a changed queries file would silently attach results to other queries.
 */
export function queryItemFor<O, C>(store: RunStore, stage: StageId<QueryItemInput, O, C>, q: QueryItem, file: string): Item<QueryItemInput, O, C> {
  const where = q.line !== undefined ? `${file}:${q.line}` : `${file} item ${q.index}`;
  const input: QueryItemInput =
    "error" in q
      ? { ...(q.line !== undefined ? { line: q.line } : {}), ...(q.id !== undefined ? { id: q.id } : {}), error: q.error.toJSON() }
      : { query: q.query, ...(q.line !== undefined ? { line: q.line } : {}), ...(q.id !== undefined ? { id: q.id } : {}) };
  const item = store.ensure({ stage, key: String(q.index), queryIndex: q.index, input });
  // A line that could not be read before and can now (the user fixed it) gets its query and another chance.
  if ("error" in item.input && !("error" in input)) store.replaceInput(item, input);
  const before = "query" in item.input ? item.input.query : undefined;
  const now = "query" in input ? input.query : undefined;
  if (before !== now) {
    throw new UsageError(`${where}: the query differs from the one this run started with (${JSON.stringify(before)} → ${JSON.stringify(now)}); the queries file changed: use a new --out`);
  }
  return item;
}

/** Whether a query's first item holds its query (an unreadable line holds the reason instead). */
export function holdsQuery<O, C>(item: Item<QueryItemInput, O, C>): item is Item<QueryInput, O, C> {
  return !("error" in item.input);
}

/** The error to record for a query whose line could not be read. */
export function unreadableQuery(input: QueryItemInput): InputError | undefined {
  return "error" in input ? new InputError(input.error.message) : undefined;
}
