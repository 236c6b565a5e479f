import { InputError } from "../../errors.js";
import { DETOXIFY_COLUMNS, ID_COLUMNS, QUERY_COLUMNS } from "./types.js";

const find = (available: readonly string[], name: string) => available.find((a) => a.toLowerCase() === name.toLowerCase());

/** The query field: --column when given (it must exist), else the first of prompt, query, text, caption. */
export function chooseQueryColumn(available: readonly string[], requested: string | undefined, path: string): string {
  if (requested) {
    const hit = find(available, requested);
    if (!hit) throw new InputError(`no column "${requested}" (columns: ${available.join(", ") || "none"})`, path);
    return hit;
  }
  for (const name of QUERY_COLUMNS) {
    const hit = find(available, name);
    if (hit) return hit;
  }
  throw new InputError(`no query column: pass --column NAME (columns: ${available.join(", ") || "none"})`, path);
}

export function detoxifyColumnsOf(available: readonly string[]): string[] {
  return DETOXIFY_COLUMNS.map((name) => find(available, name)).filter((c): c is string => c !== undefined);
}

export function idColumnOf(available: readonly string[]): string | undefined {
  for (const name of ID_COLUMNS) {
    const hit = find(available, name);
    if (hit) return hit;
  }
  return undefined;
}

/** Highest Detoxify score among the values that are numbers (empty or non-numeric cells are ignored). */
export function maxScore(values: readonly unknown[]): number | undefined {
  let best: number | undefined;
  for (const value of values) {
    const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
    if (Number.isFinite(n) && (best === undefined || n > best)) best = n;
  }
  return best;
}

export function idOf(value: unknown): string | undefined {
  if (typeof value === "string" && value !== "") return value;
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  return undefined;
}
