/**
 * The run store's tables. One SQLite file per output directory (`run.sqlite`, WAL). Bump SCHEMA_VERSION and add a
 * migration step when a table changes; an older vpo refuses a newer file instead of corrupting it.
 */
export const SCHEMA_VERSION = 1;

export const SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS runs (
  id TEXT PRIMARY KEY,
  pipeline TEXT NOT NULL,
  created_at TEXT NOT NULL,
  -- settings that decide what the run produces (models, templates, seeds, K, backends): a resume must match them
  identity TEXT NOT NULL,
  identity_hash TEXT NOT NULL,
  -- the last invocation's full settings, runtime ones (concurrency, timeouts) included
  config TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS sessions (
  id INTEGER PRIMARY KEY,
  pid INTEGER NOT NULL,
  host TEXT NOT NULL,
  proc_start TEXT,
  started_at TEXT NOT NULL,
  ended_at TEXT,
  outcome TEXT,
  argv TEXT
);
CREATE TABLE IF NOT EXISTS stages (
  name TEXT PRIMARY KEY,
  started_at TEXT,
  finished_at TEXT
);
CREATE TABLE IF NOT EXISTS provenance (
  id INTEGER PRIMARY KEY,
  hash TEXT NOT NULL UNIQUE,
  json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS items (
  id INTEGER PRIMARY KEY,
  stage TEXT NOT NULL,
  key TEXT NOT NULL,
  query_index INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'done', 'failed')),
  input TEXT NOT NULL,
  checkpoint TEXT,
  output TEXT,
  error TEXT,
  provenance_id INTEGER REFERENCES provenance(id),
  attempts INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  UNIQUE (stage, key)
);
CREATE INDEX IF NOT EXISTS items_by_query ON items (query_index, stage);
CREATE INDEX IF NOT EXISTS items_by_status ON items (stage, status);
CREATE TABLE IF NOT EXISTS attempts (
  id INTEGER PRIMARY KEY,
  item_id INTEGER NOT NULL REFERENCES items(id),
  session_id INTEGER NOT NULL REFERENCES sessions(id),
  started_at TEXT NOT NULL,
  finished_at TEXT,
  status TEXT NOT NULL CHECK (status IN ('running', 'ok', 'failed', 'lost', 'aborted')),
  error TEXT
);
CREATE INDEX IF NOT EXISTS attempts_by_item ON attempts (item_id);
`;
