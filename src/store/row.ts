import type { Item, ItemStatus } from "./types.js";

/** An `items` row as SQLite returns it. */
export interface ItemRow {
  id: number;
  stage: string;
  key: string;
  query_index: number;
  status: ItemStatus;
  input: string;
  checkpoint: string | null;
  output: string | null;
  error: string | null;
  provenance_id: number | null;
  attempts: number;
  created_at: string;
  updated_at: string;
}

export function itemFromRow<I, O, C>(row: ItemRow): Item<I, O, C> {
  return {
    id: row.id,
    stage: row.stage,
    key: row.key,
    queryIndex: row.query_index,
    status: row.status,
    input: JSON.parse(row.input) as I,
    ...(row.checkpoint !== null ? { checkpoint: JSON.parse(row.checkpoint) as C } : {}),
    ...(row.output !== null ? { output: JSON.parse(row.output) as O } : {}),
    ...(row.error !== null ? { error: JSON.parse(row.error) } : {}),
    ...(row.provenance_id !== null ? { provenanceId: row.provenance_id } : {}),
    attempts: row.attempts,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}
