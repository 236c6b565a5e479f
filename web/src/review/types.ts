/** What the review API answers (src/review in the vpo package). */
export type QuestionId = "instruction" | "quality" | "overall";
export type ShownChoice = "A" | "B" | "tie";

export const QUESTIONS: { id: QuestionId; title: string; help: string }[] = [
  { id: "instruction", title: "Instruction following", help: "Which one adheres better to the user query?" },
  { id: "quality", title: "Video quality", help: "Coherence, stability, adherence to physics." },
  { id: "overall", title: "Overall preference", help: "A holistic judgment of both." },
];

export interface ReviewSummary {
  name: string;
  createdAt: string;
  items: number;
  reviewers?: { name: string; voted: number }[];
}

export interface Progress {
  reviewer: string;
  total: number;
  done: number;
  next: number | null;
}

export interface ShownItem {
  position: number;
  total: number;
  query: string;
  sides: { label: "A" | "B"; prompt: string; video: boolean }[];
  votes: Partial<Record<QuestionId, ShownChoice>>;
}

export interface Rate {
  count: number;
  n: number;
  share: number;
  low: number;
  high: number;
}

export interface QuestionReport {
  question: QuestionId;
  title: string;
  n: number;
  win: Rate;
  tie: Rate;
  loss: Rate;
  agreement?: { items: number; raw: number; fleissKappa?: number; cohenKappa?: number };
}

export interface ReviewReport {
  name: string;
  labels: { a: string; b: string };
  items: number;
  reviewers: string[];
  questions: QuestionReport[];
  method: string;
}
