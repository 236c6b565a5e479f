import { createHash } from "node:crypto";

/** JSON with object keys sorted at every level, so equal values always give equal text (and equal hashes). */
export function stableStringify(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === "object" && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });
}

/** sha256 hex of a value's stable JSON (or of a string as is). */
export function contentHash(value: unknown): string {
  return createHash("sha256")
    .update(typeof value === "string" ? value : stableStringify(value))
    .digest("hex");
}

/**
 * The version of a template, rubric, checklist or demonstration set: the first 12 hex digits of its content hash, so
 * any edit gives a new version and provenance tells which text produced a record.
 */
export function contentVersion(value: unknown): string {
  return contentHash(value).slice(0, 12);
}

/** Top-level keys whose values differ between two objects (for "the run was started with other settings"). */
export function changedKeys(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => stableStringify(before[k]) !== stableStringify(after[k])).sort();
}
