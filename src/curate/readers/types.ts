/** One query read from the input. `index` is its 0-based position among the input's rows (malformed rows count). */
export interface InputRow {
  index: number;
  /** 1-based line where the row starts (text formats). */
  line?: number;
  query: string;
  /** The row's own id (VidProM uuid, an `id` field), kept for provenance. */
  id?: string;
  /** Highest Detoxify score of the row, when the input has Detoxify columns with a number in this row. */
  toxicity?: number;
  /** The row was not valid UTF-8 and was read as Windows-1252. */
  recoded?: boolean;
}

/** A row that could not be read; it keeps its position so later indexes still match the input. */
export interface MalformedRow {
  index: number;
  line?: number;
  error: string;
  /** The start of the raw text, for the audit trail. */
  raw?: string;
}

export type InputItem = InputRow | MalformedRow;

export function isMalformed(item: InputItem): item is MalformedRow {
  return "error" in item;
}

export type InputFormat = "csv" | "txt" | "json" | "jsonl" | "parquet";

export interface InputSource {
  path: string;
  format: InputFormat;
  /** The field the queries come from (csv, json, jsonl, parquet objects). */
  column?: string;
  /** Detoxify columns found in the input (empty when none). */
  detoxifyColumns: string[];
  /** Input size in bytes, for progress. */
  bytes: number;
  /** Rows in input order, in batches; `bytesRead()` tells how far the reader got. */
  rows(): AsyncGenerator<InputItem[]>;
  bytesRead(): number;
}

/** The Detoxify columns of VidProM (and of Detoxify's "unbiased" model). */
export const DETOXIFY_COLUMNS = ["toxicity", "severe_toxicity", "obscene", "identity_attack", "insult", "threat", "sexual_explicit"] as const;

/** Field names tried, in order, when --column is not given. */
export const QUERY_COLUMNS = ["prompt", "query", "text", "caption"] as const;

export const ID_COLUMNS = ["uuid", "id"] as const;
