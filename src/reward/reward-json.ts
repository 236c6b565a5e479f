import { checklistScore, type Checklist } from "./checklist.js";
import { toAnswer } from "./parse-answers.js";
import type { RewardResult } from "./types.js";

export type RewardJsonResult = { ok: true; reward: RewardResult } | { ok: false; reason: string };

function parseObject(text: string): Record<string, unknown> | undefined {
  const attempts = [text.trim(), ...text.trim().split("\n").reverse()];
  for (const attempt of attempts) {
    if (!attempt.trim().startsWith("{")) continue;
    try {
      const value = JSON.parse(attempt) as unknown;
      if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
    } catch {
      // try the next candidate
    }
  }
  return undefined;
}

/**
 * The reward contract shared by reward commands (stdout) and reward services (response body):
 * `{"answers": ["yes" | "no", … one per checklist question]}` (score = weighted sum of yes), or `{"score": x}` for a
 * scalar reward. Log lines before the JSON are tolerated (the last line holding a JSON object counts).
 */
export function parseRewardJson(text: string, checklist: Checklist): RewardJsonResult {
  const value = parseObject(text);
  if (!value) return { ok: false, reason: `printed no JSON object${text.trim() ? `: ${JSON.stringify(text.trim().slice(0, 120))}` : " (empty output)"}` };
  if (Array.isArray(value.answers)) {
    const expected = checklist.weights.length;
    if (value.answers.length !== expected) return { ok: false, reason: `gave ${value.answers.length} answers, expected ${expected}` };
    const answers = value.answers.map(toAnswer);
    const bad = answers.findIndex((a) => a === undefined);
    if (bad >= 0) return { ok: false, reason: `answer ${bad + 1} is ${JSON.stringify(value.answers[bad])}, not yes or no` };
    const yesNo = answers as ("yes" | "no")[];
    return { ok: true, reward: { answers: yesNo, score: checklistScore(checklist, yesNo) } };
  }
  if (typeof value.score === "number" && Number.isFinite(value.score)) return { ok: true, reward: { score: value.score } };
  return { ok: false, reason: `printed JSON without "answers" (${checklist.weights.length} yes/no) or a numeric "score": ${JSON.stringify(value).slice(0, 120)}` };
}
