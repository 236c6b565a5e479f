import Database from "better-sqlite3";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";

export interface ResultCacheOptions {
  /** SQLite file (":memory:" for a cache that ends with the process). */
  path: string;
  /** Entries older than this are not served (default 24 h). */
  ttlMs?: number;
  /** The oldest entries are evicted beyond this many (default 10,000). */
  maxEntries?: number;
  now?: () => number;
}

/**
 * The server's cache of deterministic results: JSON text by key in SQLite (WAL), with a TTL and a size cap. Several
 * server processes may share one file.
 */
export class ResultCache {
  private readonly db: Database.Database;
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly now: () => number;
  private readonly select: Database.Statement<[string], { value: string; created_at: number }>;
  private readonly insert: Database.Statement<[string, string, number]>;
  private readonly remove: Database.Statement<[string]>;
  private readonly count: Database.Statement<[], { n: number }>;
  private readonly evictOldest: Database.Statement<[number]>;
  private readonly purgeExpired: Database.Statement<[number]>;
  private entries: number;

  constructor(options: ResultCacheOptions) {
    if (options.path !== ":memory:") mkdirSync(dirname(options.path), { recursive: true });
    this.db = new Database(options.path);
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = NORMAL");
    this.db.pragma("busy_timeout = 2000");
    this.db.exec(`CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, value TEXT NOT NULL, created_at INTEGER NOT NULL);
      CREATE INDEX IF NOT EXISTS results_created ON results (created_at);`);
    this.ttlMs = options.ttlMs ?? 24 * 3600_000;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.now = options.now ?? Date.now;
    this.select = this.db.prepare("SELECT value, created_at FROM results WHERE key = ?");
    this.insert = this.db.prepare("INSERT OR REPLACE INTO results (key, value, created_at) VALUES (?, ?, ?)");
    this.remove = this.db.prepare("DELETE FROM results WHERE key = ?");
    this.count = this.db.prepare("SELECT count(*) AS n FROM results");
    this.evictOldest = this.db.prepare("DELETE FROM results WHERE key IN (SELECT key FROM results ORDER BY created_at LIMIT ?)");
    this.purgeExpired = this.db.prepare("DELETE FROM results WHERE created_at < ?");
    this.purgeExpired.run(this.now() - this.ttlMs);
    this.entries = this.count.get()!.n;
  }

  get size(): number {
    return this.entries;
  }

  get(key: string): string | undefined {
    const row = this.select.get(key);
    if (!row) return undefined;
    if (row.created_at < this.now() - this.ttlMs) {
      this.remove.run(key);
      return undefined;
    }
    return row.value;
  }

  set(key: string, value: string): void {
    this.insert.run(key, value, this.now());
    this.entries++;
    if (this.entries > this.maxEntries) {
      this.purgeExpired.run(this.now() - this.ttlMs);
      this.entries = this.count.get()!.n;
      // Evict a tenth at a time so a full cache does not pay a DELETE on every insert.
      const over = this.entries - this.maxEntries;
      if (over > 0) this.evictOldest.run(over + Math.floor(this.maxEntries / 10));
      this.entries = this.count.get()!.n;
    }
  }

  close(): void {
    this.db.close();
  }
}
