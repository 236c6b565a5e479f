import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { InputError } from "../errors.js";
import { contentVersion } from "../util/stable-json.js";
import type { Answer } from "./types.js";

/** The package's copy of the VisionReward video checklist (Apache-2.0, see data/visionreward/NOTICE.md). */
export const DEFAULT_CHECKLIST_PATH = fileURLToPath(new URL("../../data/visionreward/video_checklist_64.json", import.meta.url));

const ChecklistFile = z.object({
  template_placeholder: z.string().default("[[prompt]]"),
  questions: z
    .array(z.object({ id: z.number().int(), question: z.string().min(1), dimension: z.string().optional(), weight: z.number().finite() }))
    .min(1),
});

export interface Checklist {
  /** Content hash of the questions and weights, recorded in provenance. */
  version: string;
  questions: string[];
  weights: number[];
  /** Each question's dimension (Alignment, Stability, …) when the file names one: the MonetBench-style columns. */
  dimensions?: (string | undefined)[];
  placeholder: string;
}

export function loadChecklist(path = DEFAULT_CHECKLIST_PATH): Checklist {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new InputError(`cannot read the checklist: ${(error as Error).message}`, path);
  }
  const parsed = ChecklistFile.safeParse(raw);
  if (!parsed.success) throw new InputError(`not a checklist file: ${z.prettifyError(parsed.error).replace(/\n/g, "; ")}`, path);
  const questions = [...parsed.data.questions].sort((a, b) => a.id - b.id);
  return {
    version: contentVersion({ q: questions.map((q) => q.question), w: questions.map((q) => q.weight) }),
    questions: questions.map((q) => q.question),
    weights: questions.map((q) => q.weight),
    dimensions: questions.map((q) => q.dimension),
    placeholder: parsed.data.template_placeholder,
  };
}

/** The questions as asked about one video: the placeholder (questions 1–4) becomes the ORIGINAL user query. */
export function checklistQuestions(checklist: Checklist, query: string): string[] {
  return checklist.questions.map((q) => q.split(checklist.placeholder).join(query));
}

/** VisionReward's score: the sum of the weights of the questions answered "yes". */
export function checklistScore(checklist: Checklist, answers: readonly Answer[]): number {
  if (answers.length !== checklist.weights.length) throw new InputError(`expected ${checklist.weights.length} answers, got ${answers.length}`);
  return answers.reduce((sum, a, i) => (a === "yes" ? sum + checklist.weights[i]! : sum), 0);
}
