import { idOf, maxScore } from "./columns.js";
import { DETOXIFY_COLUMNS, ID_COLUMNS, QUERY_COLUMNS, type InputItem } from "./types.js";

/**
 * A JSON value as an input row: a string, or an object whose query sits in `column` (default: the first of
 * prompt, query, text, caption), with Detoxify scores and an id (uuid, id) when the object has them.
 */
export function itemFromJson(value: unknown, index: number, column: string | undefined, line?: number, detoxifySeen?: Set<string>): InputItem {
  const at = line === undefined ? {} : { line };
  if (typeof value === "string") return { index, ...at, query: value };
  if (!value || typeof value !== "object" || Array.isArray(value)) {
    return { index, ...at, error: `expected a string or an object with a query field, found ${Array.isArray(value) ? "an array" : value === null ? "null" : typeof value}` };
  }
  const record = value as Record<string, unknown>;
  const key = column ?? QUERY_COLUMNS.find((name) => typeof record[name] === "string");
  const query = key === undefined ? undefined : record[key];
  if (typeof query !== "string") {
    return { index, ...at, error: column ? `no string field "${column}"` : `no string field ${QUERY_COLUMNS.map((c) => `"${c}"`).join(", ")} (pass --column NAME)` };
  }
  const toxicity = maxScore(DETOXIFY_COLUMNS.map((name) => record[name]));
  if (toxicity !== undefined && detoxifySeen) for (const name of DETOXIFY_COLUMNS) if (typeof record[name] === "number") detoxifySeen.add(name);
  const idKey = ID_COLUMNS.find((name) => record[name] !== undefined);
  const id = idKey === undefined ? undefined : idOf(record[idKey]);
  return { index, ...at, query, ...(id !== undefined ? { id } : {}), ...(toxicity !== undefined ? { toxicity } : {}) };
}

