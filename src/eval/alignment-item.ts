import { detectRefusal } from "../critique/detect-refusal.js";
import { screenSafety } from "../safety/screen-safety.js";
import { checkIntent } from "../intent/check-intent.js";
import type { ModelInfo } from "../model/types.js";
import { optimize, type OptimizeOptions, type OutcomeError } from "../optimize/optimize.js";
import { judgePrompt, type JudgeOptions, type JudgeResult } from "../critique/judge-prompt.js";
import type { AlignmentCategory } from "../critique/verdict.js";

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

/** Optimizes one query with the system under test, then categorises the prompt (refusal detector first, then the judge). */
export async function evaluateAlignmentItem(query: string, options: AlignmentItemOptions, signal?: AbortSignal): Promise<Omit<AlignmentRecord, "index" | "line" | "id">> {
  const result = await optimize(query, { ...options.optimize, signal });
  const optimizer = { model: result.model, template: result.template, ...(result.error ? { error: result.error } : {}) };
  const base = { system: options.system, query, prompt: result.prompt, optimizer };
  if (result.prompt === null) return { ...base, status: "failed", category: null, outcome: "optimizer-failed" };
  const refusal = detectRefusal(result.prompt);
  const intent = checkIntent(query, result.prompt);
  const checks = { unsafeCategories: screenSafety(result.prompt).categories, refusal: refusal.refusal, coverage: intent.coverage, missing: intent.missing };
  if (refusal.refusal && refusal.kind === "full") return { ...base, status: "ok", category: "refusal", categorizedBy: "refusal-detector", outcome: "categorized", checks };
  const judge = await judgePrompt(query, result.prompt, { ...options.judge, signal });
  if (judge.status === "failed") return { ...base, status: "failed", category: null, outcome: "judge-failed", judge, checks };
  return { ...base, status: "ok", category: judge.verdict!.category, categorizedBy: "judge", outcome: "categorized", judge, checks };
}
