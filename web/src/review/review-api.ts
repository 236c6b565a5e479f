import { getJson } from "../shared/api";
import type { Progress, ReviewReport, ReviewSummary, ShownChoice, ShownItem, QuestionId } from "./types";

const base = (name: string) => `/api/reviews/${encodeURIComponent(name)}`;

export const fetchReviews = (signal: AbortSignal) => getJson<{ reviews: ReviewSummary[] }>("/api/reviews", { signal });
export const fetchReview = (name: string, signal: AbortSignal) => getJson<ReviewSummary>(base(name), { signal });
export const fetchReport = (name: string, signal: AbortSignal) => getJson<ReviewReport>(`${base(name)}/report`, { signal });
export const joinReview = (name: string, reviewer: string) => getJson<Progress>(`${base(name)}/reviewers`, { body: { reviewer } });
export const showItem = (name: string, reviewer: string, position: number) => getJson<ShownItem>(`${base(name)}/items/${position}/show`, { body: { reviewer } });
export const sendVotes = (name: string, reviewer: string, position: number, answers: Record<QuestionId, ShownChoice>) =>
  getJson<Progress>(`${base(name)}/items/${position}/votes`, { body: { reviewer, answers } });
export const sideVideoUrl = (name: string, reviewer: string, position: number, label: "A" | "B") =>
  `${base(name)}/items/${position}/videos/${label}?reviewer=${encodeURIComponent(reviewer)}`;

const REVIEWER_STORAGE = "vpo.reviewer";
export function savedReviewer(): string {
  try {
    return localStorage.getItem(REVIEWER_STORAGE) ?? "";
  } catch {
    return "";
  }
}
export function saveReviewer(name: string): void {
  try {
    localStorage.setItem(REVIEWER_STORAGE, name);
  } catch {
    // storage disabled: the name is asked again next time
  }
}
