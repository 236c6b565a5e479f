import type { ItemError, ItemStatus } from "../store/types.js";
import { likePattern, parsed, withRun, type Page } from "./open-run.js";
import type { RunLibrary } from "./run-library.js";

export interface ItemFilter extends Page {
  stage?: string;
  status?: ItemStatus;
  /** Text the item's query contains (case-insensitive for ASCII). */
  q?: string;
}

export interface ItemView {
  stage: string;
  key: string;
  queryIndex: number;
  status: ItemStatus;
  attempts: number;
  updatedAt: string;
  query?: string;
  /** The candidate prompt an item judges or renders. */
  prompt?: string;
  error?: ItemError;
}

interface Row {
  stage: string;
  key: string;
  query_index: number;
  status: ItemStatus;
  attempts: number;
  updated_at: string;
  input: string;
  error: string | null;
}

/** A page of a run's items in query order, filtered by stage, status and query text, with failure reasons. */
export function runItems(library: RunLibrary, name: string, filter: ItemFilter): { total: number; offset: number; limit: number; items: ItemView[] } {
  return withRun(library.dir(name), (db) => {
    const where: string[] = [];
    const args: unknown[] = [];
    const add = (sql: string, value: unknown) => {
      where.push(sql);
      args.push(value);
    };
    if (filter.stage) add("stage = ?", filter.stage);
    if (filter.status) add("status = ?", filter.status);
    if (filter.q) add("json_extract(input, '$.query') LIKE ? ESCAPE '\\'", likePattern(filter.q));
    const clause = where.length ? `WHERE ${where.join(" AND ")}` : "";
    const total = (db.prepare(`SELECT count(*) AS n FROM items ${clause}`).get(...args) as { n: number }).n;
    const rows = db
      .prepare(`SELECT stage, key, query_index, status, attempts, updated_at, input, error FROM items ${clause} ORDER BY query_index, id LIMIT ? OFFSET ?`)
      .all(...args, filter.limit, filter.offset) as Row[];
    const items = rows.map((r): ItemView => {
      const input = parsed<{ query?: unknown; prompt?: unknown }>(r.input) ?? {};
      const error = parsed<ItemError>(r.error);
      return {
        stage: r.stage,
        key: r.key,
        queryIndex: r.query_index,
        status: r.status,
        attempts: r.attempts,
        updatedAt: r.updated_at,
        ...(typeof input.query === "string" ? { query: input.query } : {}),
        ...(typeof input.prompt === "string" ? { prompt: input.prompt } : {}),
        ...(error ? { error } : {}),
      };
    });
    return { total, offset: filter.offset, limit: filter.limit, items };
  });
}
