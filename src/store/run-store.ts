import Database from "better-sqlite3";
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { UsageError } from "../errors.js";
import { changedKeys, contentHash, stableStringify } from "../util/stable-json.js";
import { openSession, type Session } from "./session.js";
import { SCHEMA_SQL, SCHEMA_VERSION } from "./schema.js";
import { ItemQueries } from "./item-queries.js";

export const STORE_FILE = "run.sqlite";

export interface OpenRunOptions {
  /** "sft" or "dpo": a directory holds one kind of run. */
  pipeline: string;
  /** Settings that decide the results (models, templates, seeds, K, backends). A resume must pass the same. */
  identity: Record<string, unknown>;
  /** Everything else worth recording (concurrency, timeouts, paths). */
  config?: Record<string, unknown>;
  /** Resume even though identity settings changed (records made before keep their own provenance). */
  allowChanges?: boolean;
  argv?: string[];
}

export interface RunInfo {
  id: string;
  pipeline: string;
  createdAt: string;
  identity: Record<string, unknown>;
  config: Record<string, unknown>;
}

const now = () => new Date().toISOString();

/**
 * The SQLite store of one output directory: runs, sessions (one per invocation), stages, items, attempts and
 * provenance. Every state change is one transaction, so a process killed at any point (kill -9 included) leaves
 * completed items completed, and the next open puts items that were in flight back to pending.
 */
export class RunStore extends ItemQueries {
  private closed = false;

  private constructor(
    db: Database.Database,
    readonly dir: string,
    readonly run: RunInfo,
    readonly session: Session,
  ) {
    super(db, session.id);
  }

  static open(dir: string, options: OpenRunOptions): RunStore {
    mkdirSync(dir, { recursive: true });
    const db = openDatabase(join(dir, STORE_FILE));
    try {
      const session = db.transaction(() => openSession(db, dir, options.argv)).immediate();
      const run = db.transaction(() => upsertRun(db, dir, options)).immediate();
      return new RunStore(db, dir, run, session);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  /** Opens a store only to read it (`vpo run status`): no lock, no recovery. */
  static openReadOnly(dir: string): { db: Database.Database; run: RunInfo } {
    const db = new Database(join(dir, STORE_FILE), { readonly: true, fileMustExist: true });
    db.pragma("busy_timeout = 5000");
    const row = db.prepare("SELECT * FROM runs LIMIT 1").get() as RunRow | undefined;
    if (!row) throw new UsageError(`${dir} holds no run yet`);
    return { db, run: runFromRow(row) };
  }

  /** Records the first and last time a stage did work (for `vpo run status`). */
  markStage(name: string, event: "started" | "finished"): void {
    this.sql("INSERT INTO stages (name) VALUES (?) ON CONFLICT (name) DO NOTHING").run(name);
    if (event === "started") this.sql("UPDATE stages SET started_at = coalesce(started_at, ?) WHERE name = ?").run(now(), name);
    else this.sql("UPDATE stages SET finished_at = ? WHERE name = ?").run(now(), name);
  }

  /** Interns a provenance object (model ids, template versions, sampling): equal objects share one row. */
  provenanceId(value: Record<string, unknown>): number {
    const json = stableStringify(value);
    const hash = contentHash(json);
    const found = this.sql("SELECT id FROM provenance WHERE hash = ?").get(hash) as { id: number } | undefined;
    if (found) return found.id;
    return Number(this.sql("INSERT INTO provenance (hash, json) VALUES (?, ?)").run(hash, json).lastInsertRowid);
  }

  provenance(id: number): Record<string, unknown> {
    const row = this.sql("SELECT json FROM provenance WHERE id = ?").get(id) as { json: string } | undefined;
    return row ? (JSON.parse(row.json) as Record<string, unknown>) : {};
  }

  /** Every provenance row by id (few: one per distinct setting), for exports that stream items. */
  provenanceTable(): Map<number, Record<string, unknown>> {
    const rows = this.sql("SELECT id, json FROM provenance").all() as { id: number; json: string }[];
    return new Map(rows.map((r) => [r.id, JSON.parse(r.json) as Record<string, unknown>]));
  }

  /** Ends this invocation's session; `outcome` is "completed", "stopped" or "failed". Later calls do nothing. */
  close(outcome: SessionOutcome = "completed"): void {
    if (this.closed) return;
    this.closed = true;
    this.db.prepare("UPDATE sessions SET ended_at = ?, outcome = ? WHERE id = ?").run(now(), outcome, this.session.id);
    this.db.close();
  }

  /** `using store = RunStore.open(…)`: a scope left before `close(outcome)` ran (an error) records the session as failed. */
  [Symbol.dispose](): void {
    this.close("failed");
  }
}

export type SessionOutcome = "completed" | "stopped" | "failed";

function openDatabase(path: string): Database.Database {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  // NORMAL keeps every committed transaction across a process crash (kill -9); only a power cut may lose the last few.
  db.pragma("synchronous = NORMAL");
  db.pragma("busy_timeout = 5000");
  db.pragma("foreign_keys = ON");
  const version = db.pragma("user_version", { simple: true }) as number;
  if (version > SCHEMA_VERSION) {
    db.close();
    throw new UsageError(`${path} was written by a newer vpo (store version ${version}, this one reads ${SCHEMA_VERSION}); upgrade vpo`);
  }
  if (version < SCHEMA_VERSION) {
    db.exec(SCHEMA_SQL);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }
  return db;
}

interface RunRow {
  id: string;
  pipeline: string;
  created_at: string;
  identity: string;
  identity_hash: string;
  config: string;
}

function runFromRow(row: RunRow): RunInfo {
  return { id: row.id, pipeline: row.pipeline, createdAt: row.created_at, identity: JSON.parse(row.identity), config: JSON.parse(row.config) };
}

function upsertRun(db: Database.Database, dir: string, options: OpenRunOptions): RunInfo {
  const identityJson = stableStringify(options.identity);
  const identityHash = contentHash(identityJson);
  const configJson = stableStringify(options.config ?? {});
  const existing = db.prepare("SELECT * FROM runs LIMIT 1").get() as RunRow | undefined;
  if (!existing) {
    const row: RunRow = { id: randomUUID(), pipeline: options.pipeline, created_at: now(), identity: identityJson, identity_hash: identityHash, config: configJson };
    db.prepare("INSERT INTO runs (id, pipeline, created_at, identity, identity_hash, config) VALUES (@id, @pipeline, @created_at, @identity, @identity_hash, @config)").run(row);
    return runFromRow(row);
  }
  if (existing.pipeline !== options.pipeline) {
    throw new UsageError(`${dir} holds a "${existing.pipeline}" run, not "${options.pipeline}"; use another --out directory`);
  }
  if (existing.identity_hash !== identityHash) {
    const changed = changedKeys(JSON.parse(existing.identity), options.identity);
    if (!options.allowChanges) {
      throw new UsageError(
        `${dir} was started with other settings (${changed.join(", ")}); resuming would mix results. Use a new --out, or pass --allow-changes to continue anyway`,
      );
    }
    db.prepare("UPDATE runs SET identity = ?, identity_hash = ? WHERE id = ?").run(identityJson, identityHash, existing.id);
  }
  db.prepare("UPDATE runs SET config = ? WHERE id = ?").run(configJson, existing.id);
  return runFromRow({ ...existing, identity: identityJson, config: configJson });
}
