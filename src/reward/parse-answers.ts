import { readJsonValues, type LooseObject } from "../model/reply-json.js";
import type { Answer } from "./types.js";

/** One reply word as yes/no: "Yes", "yes.", "YES!", "y", "true", "1"; anything else is undefined. */
export function toAnswer(value: unknown): Answer | undefined {
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (typeof value === "number") return value === 1 ? "yes" : value === 0 ? "no" : undefined;
  if (typeof value !== "string") return undefined;
  const word = value.trim().toLowerCase().replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, "");
  if (["yes", "y", "true", "1"].includes(word)) return "yes";
  if (["no", "n", "false", "0"].includes(word)) return "no";
  return undefined;
}

function fromArray(values: unknown[], count: number): Answer[] | undefined {
  if (values.length !== count) return undefined;
  const answers = values.map(toAnswer);
  return answers.every((a) => a !== undefined) ? (answers as Answer[]) : undefined;
}

/** The answers in one JSON value: {"answers": [...]}, a bare array, or {"1": "yes", "2": "no", …}. */
function fromValue(value: LooseObject | unknown[], count: number): Answer[] | undefined {
  if (Array.isArray(value)) return fromArray(value, count);
  if (Array.isArray(value.answers)) return fromArray(value.answers, count);
  const numbered = Array.from({ length: count }, (_, i) => value[String(i + 1)]);
  return numbered.every((v) => v !== undefined) ? fromArray(numbered, count) : undefined;
}

function fromJson(text: string, count: number): Answer[] | undefined {
  for (const value of readJsonValues(text)) {
    const answers = fromValue(value, count);
    if (answers) return answers;
  }
  return undefined;
}

/** "1. Yes", "2) no", "Q3: yes", "**4** - No" … one numbered answer a line. */
function fromNumberedLines(text: string, count: number): Answer[] | undefined {
  const answers: (Answer | undefined)[] = Array.from({ length: count });
  for (const line of text.split(/\n/)) {
    const m = /^\s*[*_#>-]*\s*(?:q(?:uestion)?\s*)?(\d{1,3})\s*[*_]*\s*[.):\-–]?\s*[*_]*\s*(?:.*?[?:]\s*)?[*_]*\s*(yes|no)\b/i.exec(line);
    if (!m) continue;
    const i = Number(m[1]) - 1;
    if (i >= 0 && i < count) answers[i] = m[2]!.toLowerCase() as Answer;
  }
  return answers.every((a) => a !== undefined) ? (answers as Answer[]) : undefined;
}

/**
 * A vision model's answers to `count` checklist questions: JSON ({"answers": [...]}, an array, {"1": "yes", …},
 * fenced or surrounded by chatter), numbered lines, or — for a single question — a reply that starts with yes/no
 * (how VisionReward reads its first token). Undefined when any answer is missing or not yes/no.
 */
export function parseChecklistAnswers(text: string, count: number): Answer[] | undefined {
  const json = fromJson(text, count);
  if (json) return json;
  const lines = fromNumberedLines(text, count);
  if (lines) return lines;
  if (count === 1) {
    const first = toAnswer(text.trim().split(/[\s,.;:!]+/)[0]);
    if (first) return [first];
  }
  return undefined;
}
