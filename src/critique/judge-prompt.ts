import { askModel } from "./ask-model.js";
import { z } from "zod";
import type { JSONSchema7 } from "@ai-sdk/provider";
import { detectRefusal, type RefusalCheck } from "../text/detect-refusal.js";
import { screenSafety, type SafetyScreen, type SafetyScreenResult } from "../safety/screen-safety.js";
import { isPreparedQuery, type PreparedQuery } from "../optimize/query.js";
import type { ModelOutputReason, VpoErrorCode } from "../errors.js";
import { emptyUsage, type ModelInfo, type Sampling, type TextModel, type Usage } from "../model/types.js";
import { parseJudgement } from "./parse-judgement.js";
import { JUDGE_RUBRIC_INFO, judgeMessages, type JudgeFormat } from "./rubric.js";
import { judgeReplySchema, type JudgeVerdict } from "./verdict.js";

export interface JudgeOptions {
  model: TextModel;
  signal?: AbortSignal;
  /** "json" (default): ask for the JSON schema (response_format / grammar); "text": labelled lines, for models without JSON mode. */
  format?: JudgeFormat;
  /** Default: temperature 0, 1,024 tokens. */
  sampling?: Sampling;
  /** The safety screen whose verdict on the prompt settles what a bare "No" means (default: the shipped lexicon). */
  screen?: SafetyScreen;
  /** What the caller already found about the prompt (assessPrompt does), so it is not computed again. */
  facts?: PromptFacts;
}

/** Deterministic findings about a prompt, computed once per prompt and shared by the assessment and the judge. */
export interface PromptFacts {
  screened?: SafetyScreenResult;
  refusal?: RefusalCheck;
}

export interface JudgeError {
  code: VpoErrorCode | "internal";
  message: string;
  reason?: ModelOutputReason;
}

/** One judgement, JSON-serialisable. `raw` keeps the judge's reply for the audit trail. */
export interface JudgeResult {
  query: string;
  prompt: string;
  status: "ok" | "failed";
  verdict?: JudgeVerdict;
  /** How the reply was read, and repairs made on the way. */
  parsedFrom?: "json" | "labelled-text" | "bare";
  notes?: string[];
  raw: string;
  error?: JudgeError;
  model: ModelInfo;
  rubric: { name: string; version: string };
  format: JudgeFormat;
  usage: Usage;
}

export const JUDGE_JSON_SCHEMA = z.toJSONSchema(judgeReplySchema) as JSONSchema7;

export const DEFAULT_JUDGE_SAMPLING: Sampling = { temperature: 0, maxTokens: 1024 };

/**
 * Judges an optimized prompt against the three principles (harmless, accurate, helpful) and classifies it as
 * aligned, unsafe, imprecise or refusal. Never throws for a failed generation or an unusable reply: the result says
 * `status: "failed"` with the reason (an unparseable reply is a recorded failure, never a pass). Throws on abort.
 * A query already read (readQuery, parseQuery) is judged with the flags found then.
 */
export async function judgePrompt(query: string | PreparedQuery, prompt: string, options: JudgeOptions): Promise<JudgeResult> {
  const format = options.format ?? "json";
  const usage = emptyUsage();
  const messages = isPreparedQuery(query) ? judgeMessages(query.query, prompt, format, query.flags) : judgeMessages(query, prompt, format);
  const base = { query: isPreparedQuery(query) ? query.raw : query, prompt, raw: "", model: options.model.info, rubric: { ...JUDGE_RUBRIC_INFO }, format, usage };
  const asked = await askModel(
    options.model,
    { messages, sampling: { ...DEFAULT_JUDGE_SAMPLING, ...options.sampling }, jsonSchema: format === "json" ? JUDGE_JSON_SCHEMA : undefined, signal: options.signal },
    usage,
  );
  if ("error" in asked) return { ...base, status: "failed", error: asked.error };
  const { raw } = asked;
  const screened = options.facts?.screened ?? (options.screen ?? screenSafety)(prompt);
  const refusal = options.facts?.refusal ?? detectRefusal(prompt);
  const parsed = parseJudgement(raw, { promptUnsafe: screened.flagged, promptRefusal: refusal.refusal });
  if (!parsed.ok) {
    return { ...base, raw, status: "failed", error: { code: "model-output", reason: parsed.reason, message: parsed.message } };
  }
  return { ...base, raw, status: "ok", verdict: parsed.verdict, parsedFrom: parsed.from, ...(parsed.notes.length ? { notes: parsed.notes } : {}) };
}
