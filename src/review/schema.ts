/** The review store's tables (one SQLite file may hold many review sets). Bump the version and migrate on change. */
export const REVIEW_SCHEMA_VERSION = 1;
export const REVIEW_SCHEMA_SQL = `
CREATE TABLE IF NOT EXISTS reviews (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  created_at TEXT NOT NULL,
  a_label TEXT NOT NULL,
  b_label TEXT NOT NULL,
  a_file TEXT NOT NULL,
  b_file TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS review_items (
  id INTEGER PRIMARY KEY,
  review_id INTEGER NOT NULL REFERENCES reviews(id),
  position INTEGER NOT NULL,
  query TEXT NOT NULL,
  a_prompt TEXT NOT NULL,
  b_prompt TEXT NOT NULL,
  a_video TEXT,
  b_video TEXT,
  UNIQUE (review_id, position)
);
CREATE TABLE IF NOT EXISTS reviewers (
  id INTEGER PRIMARY KEY,
  review_id INTEGER NOT NULL REFERENCES reviews(id),
  name TEXT NOT NULL,
  created_at TEXT NOT NULL,
  UNIQUE (review_id, name)
);
-- the side order one reviewer saw for one item, drawn at random the first time it was shown, then kept
CREATE TABLE IF NOT EXISTS assignments (
  reviewer_id INTEGER NOT NULL REFERENCES reviewers(id),
  item_id INTEGER NOT NULL REFERENCES review_items(id),
  a_shown_first INTEGER NOT NULL CHECK (a_shown_first IN (0, 1)),
  shown_at TEXT NOT NULL,
  PRIMARY KEY (reviewer_id, item_id)
);
CREATE TABLE IF NOT EXISTS votes (
  id INTEGER PRIMARY KEY,
  reviewer_id INTEGER NOT NULL REFERENCES reviewers(id),
  item_id INTEGER NOT NULL REFERENCES review_items(id),
  question TEXT NOT NULL,
  -- in the systems' terms (a, b, tie) and as the reviewer clicked it (A = the side shown first)
  choice TEXT NOT NULL CHECK (choice IN ('a', 'b', 'tie')),
  shown TEXT NOT NULL CHECK (shown IN ('A', 'B', 'tie')),
  voted_at TEXT NOT NULL,
  UNIQUE (reviewer_id, item_id, question)
);
`;
