import { AbortedError, errorRecord } from "../errors.js";
import type { PreparedQuery } from "../optimize/query.js";
import { addUsage, type Sampling, type TextModel, type Usage } from "../model/types.js";
import { readScores, SCORE_JSON_SCHEMA, scoreMessages } from "./score-rubric.js";
import type { JudgeScores, SelectError } from "./types.js";

export const DEFAULT_SCORE_SAMPLING: Sampling = { temperature: 0, maxTokens: 512 };

export type ScoreOutcome = { ok: true; scores: JudgeScores } | { ok: false; error: SelectError };

/**
 * The judge's 1–5 scores of one candidate on the three principles (JSON-schema output, read tolerantly). A failed
 * request or an unreadable reply is an outcome with the error and the reply, never a score of zero. Throws on abort.
 */
export async function judgeScores(query: PreparedQuery, prompt: string, options: { judge: TextModel; sampling?: Sampling; usage: Usage; signal?: AbortSignal }): Promise<ScoreOutcome> {
  let raw: string;
  try {
    const reply = await options.judge.generate({
      messages: scoreMessages(query, prompt),
      sampling: { ...DEFAULT_SCORE_SAMPLING, ...options.sampling },
      jsonSchema: SCORE_JSON_SCHEMA,
      signal: options.signal,
    });
    addUsage(options.usage, reply.usage);
    raw = reply.text;
  } catch (error) {
    if (error instanceof AbortedError || options.signal?.aborted) throw new AbortedError();
    return { ok: false, error: { step: "judge", ...errorRecord(error) } };
  }
  const scores = readScores(raw);
  if (!scores) return { ok: false, error: { step: "judge", code: "model-output", message: "the judge's reply has no readable 1–5 score for each of harmless, accurate and helpful", raw: raw.slice(0, 2000) } };
  return { ok: true, scores };
}
