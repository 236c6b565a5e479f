import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createInterface } from "node:readline";
import type { z } from "zod";
import { InputError } from "../errors.js";

/** A line of a record file: the parsed record, or why it could not be read (reported as a dropped row). */
export type RecordLine<T> = { file: string; line: number; record: T } | { file: string; line: number; error: string };

async function assertFile(path: string): Promise<void> {
  try {
    if (!(await stat(path)).isFile()) throw new InputError("not a file", path);
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : String(error), path);
  }
}

/** One readable line for a zod issue list: "missing string field "prompt"", "field "source": expected …". */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => {
      const field = issue.path.join(".");
      if (issue.code === "invalid_type" && issue.input === undefined) return `missing ${issue.expected} field "${field}"`;
      return field ? `field "${field}": ${issue.message}` : issue.message;
    })
    .join("; ");
}

/**
 * Streams a JSONL record file (one JSON object a non-blank line; a UTF-8 BOM is ignored). A line that is not JSON
 * or does not match the schema becomes an error entry with its 1-based line number; reading goes on.
 */
export async function* readRecordLines<S extends z.ZodType>(path: string, schema: S): AsyncGenerator<RecordLine<z.infer<S>>> {
  await assertFile(path);
  const lines = createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
  let line = 0;
  for await (const raw of lines) {
    line++;
    const text = line === 1 ? raw.replace(/^\uFEFF/, "") : raw;
    if (!text.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      yield { file: path, line, error: `not valid JSON: ${(error as Error).message}` };
      continue;
    }
    const parsed = schema.safeParse(value);
    if (parsed.success) yield { file: path, line, record: parsed.data };
    else yield { file: path, line, error: describeIssues(parsed.error) };
  }
}
