import type Database from "better-sqlite3";
import { RunStore, type RunInfo } from "../store/run-store.js";

/** Reads a run store read-only (SQLite readonly, no session, no lock), closing it whatever `read` does. */
export function withRun<T>(dir: string, read: (db: Database.Database, run: RunInfo) => T): T {
  const { db, run } = RunStore.openReadOnly(dir);
  try {
    return read(db, run);
  } finally {
    db.close();
  }
}

/** A parsed JSON column, or undefined for NULL. */
export const parsed = <T>(text: string | null): T | undefined => (text === null ? undefined : (JSON.parse(text) as T));

export interface Page {
  offset: number;
  limit: number;
}

export const MAX_PAGE = 200;

/** LIKE pattern matching `text` literally (its %, _ and \ escaped with \). */
export const likePattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
