import Database from "better-sqlite3";
import { randomInt } from "node:crypto";
import { mkdirSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { InputError, ServiceError, UsageError } from "../errors.js";
import { QUESTION_IDS, REVIEW_NAME, type QuestionId, type ShownChoice, type SystemChoice } from "./questions.js";
import { pairSides, readSide } from "./read-side.js";
import { REVIEW_SCHEMA_SQL, REVIEW_SCHEMA_VERSION } from "./schema.js";

export interface ReviewInfo {
  name: string;
  createdAt: string;
  /** The systems' names (file names unless given): shown in reports only, never while voting. */
  labels: { a: string; b: string };
  items: number;
  reviewers: { name: string; voted: number }[];
}

export interface Progress {
  reviewer: string;
  total: number;
  /** Items this reviewer answered all questions of. */
  done: number;
  /** 0-based position of the first unanswered item; null when all are done. */
  next: number | null;
}

export interface ShownItem {
  position: number;
  total: number;
  query: string;
  /** In the order drawn for this reviewer: sides[0] is "A", sides[1] is "B". */
  sides: { label: "A" | "B"; prompt: string; video: boolean }[];
  /** This reviewer's earlier answers for the item, in shown terms. */
  votes: Partial<Record<QuestionId, ShownChoice>>;
}

export interface VoteRow {
  reviewer: string;
  position: number;
  question: QuestionId;
  choice: SystemChoice;
}

const now = () => new Date().toISOString();

/** Reviewer names are plain text shown to other reviewers: trimmed, 1–64 characters, no control characters. */
export function reviewerName(raw: string): string {
  const name = raw.normalize("NFC").trim().replace(/\s+/g, " ");
  if (name.length < 1 || name.length > 64 || /\p{Cc}/u.test(name)) throw new InputError("a reviewer name is 1 to 64 characters of text");
  return name;
}

interface ItemRow {
  id: number;
  position: number;
  query: string;
  a_prompt: string;
  b_prompt: string;
  a_video: string | null;
  b_video: string | null;
}

/**
 * Blind A/B review sets in one SQLite file: items (two systems' outputs per query), reviewers, the side order each
 * reviewer was shown per item (random, drawn once and recorded), and votes. Every write is one transaction.
 */
export class ReviewStore {
  private constructor(private readonly db: Database.Database) {}

  static open(path: string): ReviewStore {
    mkdirSync(dirname(resolve(path)), { recursive: true });
    const db = new Database(path);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = FULL");
    db.pragma("busy_timeout = 5000");
    db.pragma("foreign_keys = ON");
    const version = db.pragma("user_version", { simple: true }) as number;
    if (version > REVIEW_SCHEMA_VERSION) {
      db.close();
      throw new UsageError(`${path} was written by a newer vpo (review store version ${version}); upgrade vpo`);
    }
    db.exec(REVIEW_SCHEMA_SQL);
    db.pragma(`user_version = ${REVIEW_SCHEMA_VERSION}`);
    return new ReviewStore(db);
  }

  /** `vpo review create`: reads and matches both files, then stores the set in one transaction. */
  create(options: { name: string; a: string; b: string; aLabel?: string; bLabel?: string }): ReviewInfo {
    if (!REVIEW_NAME.test(options.name)) throw new UsageError(`review name "${options.name}": use letters, digits, ".", "_" and "-" (at most 64, first a letter or digit)`);
    if (this.db.prepare("SELECT 1 FROM reviews WHERE name = ?").get(options.name)) throw new UsageError(`a review named "${options.name}" exists already in this store; pick another --name`);
    const pairs = pairSides(options.a, readSide(options.a), options.b, readSide(options.b));
    this.db.transaction(() => {
      const id = this.db
        .prepare("INSERT INTO reviews (name, created_at, a_label, b_label, a_file, b_file) VALUES (?, ?, ?, ?, ?, ?)")
        .run(options.name, now(), options.aLabel ?? basename(options.a), options.bLabel ?? basename(options.b), resolve(options.a), resolve(options.b)).lastInsertRowid;
      const insert = this.db.prepare("INSERT INTO review_items (review_id, position, query, a_prompt, b_prompt, a_video, b_video) VALUES (?, ?, ?, ?, ?, ?, ?)");
      pairs.forEach((p, i) => insert.run(id, i, p.query, p.a.prompt, p.b.prompt, p.a.video ?? null, p.b.video ?? null));
    }).immediate();
    return this.info(options.name);
  }

  list(): ReviewInfo[] {
    return (this.db.prepare("SELECT name FROM reviews ORDER BY created_at DESC, name").all() as { name: string }[]).map((r) => this.info(r.name));
  }

  info(name: string): ReviewInfo {
    const review = this.review(name);
    const items = (this.db.prepare("SELECT count(*) AS n FROM review_items WHERE review_id = ?").get(review.id) as { n: number }).n;
    const reviewers = this.db
      .prepare("SELECT r.name, (SELECT count(DISTINCT item_id) FROM votes v WHERE v.reviewer_id = r.id) AS voted FROM reviewers r WHERE r.review_id = ? ORDER BY r.id")
      .all(review.id) as { name: string; voted: number }[];
    return { name, createdAt: review.created_at, labels: { a: review.a_label, b: review.b_label }, items, reviewers };
  }

  /** Registers a reviewer (or finds them again) and says where they continue: the first item not fully answered. */
  join(name: string, reviewer: string): Progress {
    const review = this.review(name);
    const who = reviewerName(reviewer);
    this.db.prepare("INSERT INTO reviewers (review_id, name, created_at) VALUES (?, ?, ?) ON CONFLICT (review_id, name) DO NOTHING").run(review.id, who, now());
    return this.progress(review.id, who);
  }

  /** The item as this reviewer sees it; the first showing draws and records the side order. */
  show(name: string, reviewer: string, position: number): ShownItem {
    const review = this.review(name);
    const who = this.reviewerId(review.id, reviewer);
    const item = this.item(review.id, position);
    const aFirst = this.db.transaction(() => {
      this.db.prepare("INSERT INTO assignments (reviewer_id, item_id, a_shown_first, shown_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING").run(who, item.id, randomInt(2), now());
      return (this.db.prepare("SELECT a_shown_first FROM assignments WHERE reviewer_id = ? AND item_id = ?").get(who, item.id) as { a_shown_first: number }).a_shown_first === 1;
    }).immediate();
    const a = { prompt: item.a_prompt, video: item.a_video !== null };
    const b = { prompt: item.b_prompt, video: item.b_video !== null };
    const [first, second] = aFirst ? [a, b] : [b, a];
    const votes = this.db.prepare("SELECT question, shown FROM votes WHERE reviewer_id = ? AND item_id = ?").all(who, item.id) as { question: QuestionId; shown: ShownChoice }[];
    return {
      position,
      total: this.count(review.id),
      query: item.query,
      sides: [{ label: "A", ...first }, { label: "B", ...second }],
      votes: Object.fromEntries(votes.map((v) => [v.question, v.shown])),
    };
  }

  /** Stores one reviewer's answers to all questions of an item they were shown, in one transaction (a re-vote replaces). */
  vote(name: string, reviewer: string, position: number, answers: Record<QuestionId, ShownChoice>): Progress {
    const review = this.review(name);
    const who = this.reviewerId(review.id, reviewer);
    const item = this.item(review.id, position);
    const shown = this.db.prepare("SELECT a_shown_first FROM assignments WHERE reviewer_id = ? AND item_id = ?").get(who, item.id) as { a_shown_first: number } | undefined;
    if (!shown) throw new UsageError(`item ${position + 1} was not shown to ${reviewerName(reviewer)} yet`);
    const toSystem = (c: ShownChoice): SystemChoice => (c === "tie" ? "tie" : (c === "A") === (shown.a_shown_first === 1) ? "a" : "b");
    const upsert = this.db.prepare(
      "INSERT INTO votes (reviewer_id, item_id, question, choice, shown, voted_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (reviewer_id, item_id, question) DO UPDATE SET choice = excluded.choice, shown = excluded.shown, voted_at = excluded.voted_at",
    );
    const at = now();
    this.db.transaction(() => QUESTION_IDS.forEach((q) => upsert.run(who, item.id, q, toSystem(answers[q]), answers[q], at))).immediate();
    return this.progress(review.id, reviewerName(reviewer));
  }

  /** The video of the side this reviewer saw as `label`; undefined when that side has none. */
  video(name: string, reviewer: string, position: number, label: "A" | "B"): string | undefined {
    const review = this.review(name);
    const who = this.reviewerId(review.id, reviewer);
    const item = this.item(review.id, position);
    const shown = this.db.prepare("SELECT a_shown_first FROM assignments WHERE reviewer_id = ? AND item_id = ?").get(who, item.id) as { a_shown_first: number } | undefined;
    if (!shown) return undefined;
    const isA = (label === "A") === (shown.a_shown_first === 1);
    return (isA ? item.a_video : item.b_video) ?? undefined;
  }

  /** Every vote of a review set in the systems' terms (for the report). */
  votes(name: string): VoteRow[] {
    const review = this.review(name);
    return this.db
      .prepare("SELECT r.name AS reviewer, i.position, v.question, v.choice FROM votes v JOIN reviewers r ON r.id = v.reviewer_id JOIN review_items i ON i.id = v.item_id WHERE i.review_id = ? ORDER BY i.position, r.id")
      .all(review.id) as VoteRow[];
  }

  close(): void {
    this.db.close();
  }

  private review(name: string): { id: number; created_at: string; a_label: string; b_label: string } {
    const row = this.db.prepare("SELECT id, created_at, a_label, b_label FROM reviews WHERE name = ?").get(name) as { id: number; created_at: string; a_label: string; b_label: string } | undefined;
    if (!row) throw new ServiceError("not-found", `no review named "${name.slice(0, 64)}"`);
    return row;
  }

  private reviewerId(reviewId: number, reviewer: string): number {
    const row = this.db.prepare("SELECT id FROM reviewers WHERE review_id = ? AND name = ?").get(reviewId, reviewerName(reviewer)) as { id: number } | undefined;
    if (!row) throw new UsageError("enter your name first (this reviewer has not joined the review)");
    return row.id;
  }

  private item(reviewId: number, position: number): ItemRow {
    const row = this.db.prepare("SELECT * FROM review_items WHERE review_id = ? AND position = ?").get(reviewId, position) as ItemRow | undefined;
    if (!row) throw new ServiceError("not-found", `the review has no item ${position + 1}`);
    return row;
  }

  private count(reviewId: number): number {
    return (this.db.prepare("SELECT count(*) AS n FROM review_items WHERE review_id = ?").get(reviewId) as { n: number }).n;
  }

  private progress(reviewId: number, reviewer: string): Progress {
    const who = this.reviewerId(reviewId, reviewer);
    const answered = this.db
      .prepare("SELECT i.position FROM review_items i WHERE i.review_id = ? AND (SELECT count(*) FROM votes v WHERE v.item_id = i.id AND v.reviewer_id = ?) >= ? ORDER BY i.position")
      .all(reviewId, who, QUESTION_IDS.length) as { position: number }[];
    const done = new Set(answered.map((r) => r.position));
    const total = this.count(reviewId);
    const next = Array.from({ length: total }, (_, i) => i).find((i) => !done.has(i));
    return { reviewer, total, done: done.size, next: next ?? null };
  }
}
