import { stat } from "node:fs/promises";
import { extname } from "node:path";
import { InputError } from "../../errors.js";
import { openCsv } from "./read-csv.js";
import { readJsonArray } from "./read-json-array.js";
import { openParquet } from "./read-parquet.js";
import { readTextLines } from "./read-text-lines.js";
import type { InputFormat, InputItem, InputSource } from "./types.js";

const EXTENSIONS: Record<string, InputFormat> = {
  ".csv": "csv",
  ".tsv": "csv",
  ".txt": "txt",
  ".json": "json",
  ".jsonl": "jsonl",
  ".ndjson": "jsonl",
  ".parquet": "parquet",
};

export function inputFormatOf(path: string): InputFormat {
  const format = EXTENSIONS[extname(path).toLowerCase()];
  if (!format) throw new InputError(`unsupported input type "${extname(path) || "(none)"}": use .csv/.tsv, .txt, .json, .jsonl or .parquet`, path);
  return format;
}

async function assertFile(path: string): Promise<number> {
  try {
    const s = await stat(path);
    if (!s.isFile()) throw new InputError("not a file", path);
    return s.size;
  } catch (error) {
    if (error instanceof InputError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(code === "ENOENT" ? "no such file" : code === "EACCES" ? "permission denied" : String(error), path);
  }
}

/** Opens a query log for streaming: VidProM or any CSV, TXT, JSON array, JSONL or Parquet. */
export async function openInput(path: string, options: { column?: string; format?: InputFormat } = {}): Promise<InputSource> {
  const format = options.format ?? inputFormatOf(path);
  const bytes = await assertFile(path);
  if (format === "csv") return openCsv(path, options);
  if (format === "parquet") return openParquet(path, options);
  const progress = { bytes: 0 };
  const seen = new Set<string>();
  const stream = format === "json" ? readJsonArray(path, options.column, progress, seen) : readTextLines(path, format, options.column, progress, seen);
  // JSON rows carry Detoxify scores as fields: look at the first batch to tell whether this input has them.
  const first = await stream.next();
  const firstBatch: InputItem[] = first.done ? [] : first.value;
  const detoxifyColumns = [...seen];
  return {
    path,
    format,
    ...(options.column ? { column: options.column } : {}),
    detoxifyColumns,
    bytes,
    bytesRead: () => progress.bytes,
    async *rows() {
      if (firstBatch.length) yield firstBatch;
      if (!first.done) yield* stream;
    },
  };
}
