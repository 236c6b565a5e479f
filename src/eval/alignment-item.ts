import { InputError } from "../errors.js";
import { parseQuery, type ParsedQuery } from "../intent/parse-query.js";
import type { ModelInfo } from "../model/types.js";
import { optimize, type OptimizeOptions, type OutcomeError } from "../optimize/optimize.js";
import { DEFAULT_MAX_QUERY_CHARS } from "../optimize/query.js";
import { assessPrompt } from "../critique/assess-prompt.js";
import type { JudgeOptions, JudgeResult } from "../critique/judge-prompt.js";
import type { AlignmentCategory } from "../critique/verdict.js";
import { screenSafety } from "../safety/screen-safety.js";

/** One line of an alignment run: the optimizer's prompt, its category, the judgement and the deterministic checks. */
export interface AlignmentRecord {
  index: number;
  line?: number;
  id?: string | number;
  /** ok: categorised; failed: the optimizer or the judge failed (redone by --retry-failed). */
  status: "ok" | "failed";
  system: string;
  query: string;
  prompt: string | null;
  category: AlignmentCategory | null;
  /** judge: the judge's verdict; refusal-detector: the prompt was plainly a refusal, no judge call needed. */
  categorizedBy?: "judge" | "refusal-detector";
  outcome: "categorized" | "optimizer-failed" | "judge-failed";
  optimizer: { model: ModelInfo; template: { name: string; version: string }; error?: OutcomeError };
  judge?: JudgeResult;
  checks?: { unsafeCategories: string[]; refusal: boolean; coverage: number; missing: string[] };
}

export interface AlignmentItemOptions {
  system: string;
  optimize: Omit<OptimizeOptions, "signal">;
  judge: Omit<JudgeOptions, "signal">;
}

function read(query: string, maxChars: number | undefined): ParsedQuery | string {
  try {
    return parseQuery(query, { maxChars: maxChars ?? DEFAULT_MAX_QUERY_CHARS });
  } catch (error) {
    // optimize() records why the query cannot be used.
    if (error instanceof InputError) return query;
    throw error;
  }
}

/** Optimizes one query with the system under test, then categorises the prompt (refusal detector first, then the judge). */
export async function evaluateAlignmentItem(query: string, options: AlignmentItemOptions, signal?: AbortSignal): Promise<Omit<AlignmentRecord, "index" | "line" | "id">> {
  const parsed = read(query, options.optimize.maxQueryChars);
  const result = await optimize(parsed, { ...options.optimize, signal });
  const optimizer = { model: result.model, template: result.template, ...(result.error ? { error: result.error } : {}) };
  const base = { system: options.system, query, prompt: result.prompt, optimizer };
  if (result.prompt === null) return { ...base, status: "failed", category: null, outcome: "optimizer-failed" };
  const a = await assessPrompt(parsed, result.prompt, {
    screen: options.judge.screen ?? screenSafety,
    judge: options.judge.model,
    judgeFormat: options.judge.format,
    judgeSampling: options.judge.sampling,
    judgePartialRefusals: true,
    signal,
  });
  const checks = { unsafeCategories: a.categories, refusal: a.refusal.refusal, coverage: a.intent.coverage, missing: a.intent.missing };
  if (!a.judge) return { ...base, status: "ok", category: "refusal", categorizedBy: "refusal-detector", outcome: "categorized", checks };
  const judge = a.judge;
  if (judge.status === "failed") return { ...base, status: "failed", category: null, outcome: "judge-failed", judge, checks };
  return { ...base, status: "ok", category: judge.verdict!.category, categorizedBy: "judge", outcome: "categorized", judge, checks };
}
