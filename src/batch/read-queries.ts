import { open, readFile, stat } from "node:fs/promises";
import { extname } from "node:path";
import { InputError } from "../errors.js";
import { MAX_LINE_BYTES, readByteLines } from "../util/byte-lines.js";
import { notTextReason, SNIFF_BYTES, unreadableLineReason } from "../util/text-sniff.js";

/** One input item: a query, or the reason its line could not be read. `line` is 1-based in the file. */
export type QueryItem =
  | { index: number; line?: number; id?: string | number; query: string; /** The whole JSON object, for commands that read more fields. */ record?: Record<string, unknown> }
  | { index: number; line?: number; id?: string | number; error: InputError };

export type QueryFileFormat = "txt" | "json" | "jsonl";

export function queryFileFormat(path: string): QueryFileFormat {
  const ext = extname(path).toLowerCase();
  if (ext === ".txt" || ext === ".json" || ext === ".jsonl") return ext.slice(1) as QueryFileFormat;
  if (ext === ".ndjson") return "jsonl";
  throw new InputError(`unsupported input type "${ext || "(none)"}": use .txt (a query a line), .json (an array) or .jsonl`, path);
}

async function assertReadable(path: string): Promise<void> {
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new InputError("not a file", path);
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : String(error), path);
  }
}

/** Refuses a file whose start is binary data: its "lines" are not queries. */
async function assertText(path: string): Promise<void> {
  const file = await open(path, "r");
  try {
    const { bytesRead, buffer } = await file.read(new Uint8Array(SNIFF_BYTES), 0, SNIFF_BYTES, 0);
    const reason = notTextReason(buffer.subarray(0, bytesRead));
    if (reason) throw new InputError(`not a text file: ${reason}; give UTF-8 text (.txt a query a line, .json, .jsonl)`, path);
  } finally {
    await file.close();
  }
}

const strictUtf8 = new TextDecoder("utf-8", { fatal: true });

/** A JSON value as a query item: a string, or an object with a string `query` (and an optional `id`). */
function fromValue(value: unknown, index: number, path: string, line?: number): QueryItem {
  if (typeof value === "string") return { index, line, query: value };
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const { query, id } = value as { query?: unknown; id?: unknown };
    const idField = typeof id === "string" || typeof id === "number" ? { id } : {};
    // Other fields ("prompt" for vpo judge) travel along for commands that read more than the query.
    const extra = Object.keys(value).some((k) => k !== "query" && k !== "id") ? { record: value as Record<string, unknown> } : {};
    if (typeof query === "string") return { index, line, ...idField, query, ...extra };
    return { index, line, ...idField, error: new InputError(`item ${index} has no string "query" field`, path, line) };
  }
  return { index, line, error: new InputError(`item ${index} is ${Array.isArray(value) ? "an array" : typeof value}, expected a string or an object with "query"`, path, line) };
}

/**
 * Streams query items from .txt (one query a non-blank line), .jsonl (one JSON string or {query} a non-blank line)
 * or .json (an array). Items are numbered 0, 1, 2, … in file order; an unreadable line (not UTF-8, binary, malformed
 * JSON) becomes an error item with its line number and the rest are still read. A file that is not text at all
 * (NUL bytes or mostly unreadable bytes at its start) is refused with an InputError naming it.
 */
export async function* readQueries(path: string): AsyncGenerator<QueryItem> {
  const format = queryFileFormat(path);
  await assertReadable(path);
  await assertText(path);
  if (format === "json") {
    let text: string;
    try {
      text = strictUtf8.decode(await readFile(path));
    } catch {
      throw new InputError("not valid UTF-8 text", path);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new InputError(`not valid JSON: ${(error as Error).message}`, path);
    }
    if (!Array.isArray(parsed)) throw new InputError("expected a JSON array of strings or of objects with \"query\"", path);
    for (const [index, value] of parsed.entries()) yield fromValue(value, index, path);
    return;
  }
  let index = 0;
  for await (const batch of readByteLines(path)) {
    for (const { line: lineNo, text, recoded, truncated } of batch) {
      if (!text.trim()) continue;
      const itemIndex = index++;
      const unreadable = truncated ? `longer than ${MAX_LINE_BYTES >> 20} MiB` : unreadableLineReason(text, !recoded);
      if (unreadable) {
        yield { index: itemIndex, line: lineNo, error: new InputError(`unreadable line: ${unreadable}`, path, lineNo) };
        continue;
      }
      if (format === "txt") {
        yield { index: itemIndex, line: lineNo, query: text };
        continue;
      }
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        yield { index: itemIndex, line: lineNo, error: new InputError(`malformed JSON line: ${(error as Error).message}`, path, lineNo) };
        continue;
      }
      yield fromValue(value, itemIndex, path, lineNo);
    }
  }
}

/** Number of items in a query file (a quick pass, for progress totals). */
export async function countQueries(path: string): Promise<number> {
  let n = 0;
  for await (const _ of readQueries(path)) n++;
  return n;
}
