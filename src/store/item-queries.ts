import type Database from "better-sqlite3";
import { VpoError } from "../errors.js";
import { itemFromRow, type ItemRow } from "./row.js";
import type { FailureReason, Item, ItemError, NewItem, StageCounts, StageId } from "./types.js";

const now = () => new Date().toISOString();
const json = (value: unknown) => (value === undefined ? null : JSON.stringify(value));

export interface CompleteOptions {
  provenanceId?: number;
  /** Items of later stages this result creates, inserted in the same transaction (never twice: UNIQUE(stage, key)). */
  children?: NewItem[];
}

/**
 * Item lifecycle: pending → running (claimed, an attempt row) → done | failed; a crash leaves "running", which the
 * next session turns back into pending. Each transition is one transaction.
 */
export class ItemQueries {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(
    protected readonly db: Database.Database,
    protected readonly sessionId: number,
  ) {}

  /** Prepared once per connection: thousands of items go through the same few statements. */
  protected sql(text: string): Database.Statement {
    let statement = this.statements.get(text);
    if (!statement) this.statements.set(text, (statement = this.db.prepare(text)));
    return statement;
  }

  get<I, O, C>(stage: StageId<I, O, C>, key: string): Item<I, O, C> | undefined {
    const row = this.sql("SELECT * FROM items WHERE stage = ? AND key = ?").get(stage, key) as ItemRow | undefined;
    return row ? itemFromRow<I, O, C>(row) : undefined;
  }

  /** The item, created as pending with `input` when it does not exist yet. */
  ensure<I, O = unknown, C = unknown>(item: NewItem<I> & { stage: StageId<I, O, C> }): Item<I, O, C> {
    const at = now();
    this.db
      .prepare("INSERT INTO items (stage, key, query_index, status, input, created_at, updated_at) VALUES (?, ?, ?, 'pending', ?, ?, ?) ON CONFLICT (stage, key) DO NOTHING")
      .run(item.stage, item.key, item.queryIndex, JSON.stringify(item.input), at, at);
    return this.get<I, O, C>(item.stage, item.key)!;
  }

  /** Every item of one query (optionally of one stage), oldest first. */
  ofQuery<I, O, C>(queryIndex: number, stage?: StageId<I, O, C>): Item<I, O, C>[] {
    const rows = (
      stage === undefined
        ? this.sql("SELECT * FROM items WHERE query_index = ? ORDER BY id").all(queryIndex)
        : this.sql("SELECT * FROM items WHERE query_index = ? AND stage = ? ORDER BY id").all(queryIndex, stage)
    ) as ItemRow[];
    return rows.map((r) => itemFromRow<I, O, C>(r));
  }

  /** Gives an item new input and makes it pending again (an unreadable query line that has since been fixed). */
  replaceInput(item: Item, input: unknown): void {
    this.sql("UPDATE items SET input = ?, status = 'pending', error = NULL, checkpoint = NULL, updated_at = ? WHERE id = ? AND status != 'running'").run(JSON.stringify(input), now(), item.id);
    item.input = input;
    item.status = "pending";
    delete item.error;
    delete item.checkpoint;
  }

  /** Derived data recomputed from other items (a query's pairs): created, or overwritten, as done. */
  record(item: NewItem, output: unknown): void {
    const at = now();
    this.sql(
      "INSERT INTO items (stage, key, query_index, status, input, output, created_at, updated_at) VALUES (?, ?, ?, 'done', ?, ?, ?, ?) ON CONFLICT (stage, key) DO UPDATE SET status = 'done', output = excluded.output, error = NULL, updated_at = excluded.updated_at",
    ).run(item.stage, item.key, item.queryIndex, JSON.stringify(item.input), json(output), at, at);
  }

  /** Claims a pending item for this session; returns the attempt id. */
  claim(item: Item): number {
    return this.db.transaction(() => {
      const at = now();
      const changed = this.sql("UPDATE items SET status = 'running', attempts = attempts + 1, updated_at = ? WHERE id = ? AND status = 'pending'").run(at, item.id).changes;
      if (changed !== 1) throw new VpoError("usage", `item ${item.stage} ${item.key} is not pending (another worker has it?)`);
      item.status = "running";
      item.attempts++;
      return Number(this.sql("INSERT INTO attempts (item_id, session_id, started_at, status) VALUES (?, ?, ?, 'running')").run(item.id, this.sessionId, at).lastInsertRowid);
    }).immediate();
  }

  /** Saves the steps of a running item done so far, so a crash does not repeat them. */
  checkpoint(item: Item, data: unknown): void {
    this.sql("UPDATE items SET checkpoint = ?, updated_at = ? WHERE id = ?").run(json(data), now(), item.id);
    item.checkpoint = data;
  }

  complete(item: Item, attempt: number, output: unknown, options: CompleteOptions = {}): void {
    this.db.transaction(() => {
      const at = now();
      this.db
        .prepare("UPDATE items SET status = 'done', output = ?, error = NULL, provenance_id = coalesce(?, provenance_id), updated_at = ? WHERE id = ?")
        .run(json(output), options.provenanceId ?? null, at, item.id);
      this.sql("UPDATE attempts SET status = 'ok', finished_at = ? WHERE id = ?").run(at, attempt);
      const insert = this.sql(
        "INSERT INTO items (stage, key, query_index, status, input, created_at, updated_at) VALUES (?, ?, ?, 'pending', ?, ?, ?) ON CONFLICT (stage, key) DO NOTHING",
      );
      for (const child of options.children ?? []) insert.run(child.stage, child.key, child.queryIndex, JSON.stringify(child.input), at, at);
    }).immediate();
    item.status = "done";
    item.output = output;
    if (options.provenanceId !== undefined) item.provenanceId = options.provenanceId;
  }

  /** Records a failure; the checkpoint stays, so --retry-failed resumes after the last step that worked. */
  fail(item: Item, attempt: number | undefined, error: ItemError): void {
    this.db.transaction(() => {
      const at = now();
      this.sql("UPDATE items SET status = 'failed', error = ?, updated_at = ? WHERE id = ?").run(JSON.stringify(error), at, item.id);
      if (attempt !== undefined) this.sql("UPDATE attempts SET status = 'failed', finished_at = ?, error = ? WHERE id = ?").run(at, JSON.stringify(error), attempt);
    }).immediate();
    item.status = "failed";
    item.error = error;
  }

  /** Gives an interrupted item back (Ctrl-C): pending again, its attempt marked aborted. */
  release(item: Item, attempt: number): void {
    this.db.transaction(() => {
      const at = now();
      this.sql("UPDATE items SET status = 'pending', updated_at = ? WHERE id = ? AND status = 'running'").run(at, item.id);
      this.sql("UPDATE attempts SET status = 'aborted', finished_at = ? WHERE id = ?").run(at, attempt);
    }).immediate();
    item.status = "pending";
  }

  /** Failed items back to pending (all stages, or the ones named); returns how many. */
  retryFailed(stages?: string[]): number {
    const at = now();
    if (!stages) return this.sql("UPDATE items SET status = 'pending', updated_at = ? WHERE status = 'failed'").run(at).changes;
    const stmt = this.sql("UPDATE items SET status = 'pending', updated_at = ? WHERE status = 'failed' AND stage = ?");
    return this.db.transaction(() => stages.reduce((n, s) => n + stmt.run(at, s).changes, 0)).immediate();
  }

  /** Done items of a stage in query order, read lazily (constant memory). */
  *iterateDone<I, O, C>(stage: StageId<I, O, C>): Generator<Item<I, O, C>> {
    for (const row of this.sql("SELECT * FROM items WHERE stage = ? AND status = 'done' ORDER BY query_index, id").iterate(stage)) {
      yield itemFromRow<I, O, C>(row as ItemRow);
    }
  }

  counts(): StageCounts[] {
    return stageCounts(this.db);
  }

  failureReasons(limit = 20): FailureReason[] {
    return failureReasons(this.db, limit);
  }
}

export function stageCounts(db: Database.Database): StageCounts[] {
  const rows = db.prepare("SELECT stage, status, count(*) AS n FROM items GROUP BY stage, status").all() as { stage: string; status: string; n: number }[];
  const byStage = new Map<string, StageCounts>();
  for (const r of rows) {
    const counts = byStage.get(r.stage) ?? { stage: r.stage, pending: 0, running: 0, done: 0, failed: 0 };
    counts[r.status as "pending" | "running" | "done" | "failed"] = r.n;
    byStage.set(r.stage, counts);
  }
  return [...byStage.values()];
}

/** Failures grouped by stage, code, step and message, most frequent first. */
export function failureReasons(db: Database.Database, limit: number): FailureReason[] {
  const rows = db.prepare("SELECT stage, key, error FROM items WHERE status = 'failed' ORDER BY query_index, id").iterate() as Iterable<{ stage: string; key: string; error: string | null }>;
  const groups = new Map<string, FailureReason>();
  for (const r of rows) {
    const e = (r.error ? JSON.parse(r.error) : { code: "unknown", message: "no reason recorded" }) as ItemError;
    const id = JSON.stringify([r.stage, e.code, e.step, e.message]);
    const group = groups.get(id) ?? { stage: r.stage, code: e.code, ...(e.step ? { step: e.step } : {}), message: e.message, count: 0, examples: [] };
    group.count++;
    if (group.examples.length < 5) group.examples.push(r.key);
    groups.set(id, group);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count).slice(0, limit);
}
