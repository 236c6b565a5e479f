import { percent, rate, type Rate } from "../eval/rate.js";
import { agreement, type Agreement } from "./agreement.js";
import { REVIEW_QUESTIONS, type QuestionId, type SystemChoice } from "./questions.js";
import type { ReviewStore } from "./review-store.js";

export interface QuestionReport {
  question: QuestionId;
  title: string;
  /** Votes on this question (one per reviewer per item). */
  n: number;
  /** A (the --a system) preferred / tie / B preferred, each with its 95% Wilson interval. */
  win: Rate;
  tie: Rate;
  loss: Rate;
  /** Between reviewers, over items two or more of them answered (absent with fewer than two reviewers). */
  agreement?: Agreement;
}

export interface ReviewReport {
  name: string;
  labels: { a: string; b: string };
  items: number;
  reviewers: string[];
  questions: QuestionReport[];
  /** How the figures are computed, in words (the report says it too). */
  method: string;
}

export const REPORT_METHOD =
  "Rates count every vote (one per reviewer per item) as one observation, from A's side: win = A preferred. " +
  "Intervals are 95% Wilson score intervals. Agreement: raw = mean share of agreeing reviewer pairs per item; " +
  "Fleiss' kappa over items with two or more votes; Cohen's kappa when exactly two reviewers took part.";

const CHOICES: readonly SystemChoice[] = ["a", "b", "tie"];

/** `vpo review report` and the results page: win / tie / loss per question with CIs, and reviewer agreement. */
export function reviewReport(store: ReviewStore, name: string): ReviewReport {
  const info = store.info(name);
  const votes = store.votes(name);
  const questions = REVIEW_QUESTIONS.map(({ id, title }): QuestionReport => {
    const mine = votes.filter((v) => v.question === id);
    const count = (c: SystemChoice) => mine.filter((v) => v.choice === c).length;
    const byItem = new Map<number, Map<string, SystemChoice>>();
    for (const v of mine) byItem.set(v.position, (byItem.get(v.position) ?? new Map<string, SystemChoice>()).set(v.reviewer, v.choice));
    const agreed = agreement([...byItem.values()], CHOICES);
    return { question: id, title, n: mine.length, win: rate(count("a"), mine.length), tie: rate(count("tie"), mine.length), loss: rate(count("b"), mine.length), ...(agreed ? { agreement: agreed } : {}) };
  });
  const reviewers = info.reviewers.filter((r) => r.voted > 0).map((r) => r.name);
  return { name, labels: info.labels, items: info.items, reviewers, questions, method: REPORT_METHOD };
}

const cell = (r: Rate) => `${percent(r.share)} [${percent(r.low)}, ${percent(r.high)}]`;
const num = (x: number | undefined) => (x === undefined ? "–" : x.toFixed(3));

/** The report as text for a terminal. */
export function renderReviewReport(report: ReviewReport): string {
  const out = [
    `review ${report.name}: A = ${report.labels.a}, B = ${report.labels.b}`,
    `${report.items} items, ${report.reviewers.length} reviewer(s)${report.reviewers.length ? `: ${report.reviewers.join(", ")}` : ""}`,
    "",
  ];
  const rows = [["question", "votes", "A wins", "tie", "B wins", "raw agreement", "Fleiss κ", "Cohen κ"]];
  for (const q of report.questions) {
    const a = q.agreement;
    rows.push([q.title, String(q.n), cell(q.win), cell(q.tie), cell(q.loss), a ? `${percent(a.raw)} (${a.items} items)` : "–", num(a?.fleissKappa), num(a?.cohenKappa)]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) out.push(r.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd());
  out.push("", report.method);
  return out.join("\n");
}
