import { checkIntent, type IntentCheck, type QueryIntent } from "../intent/check-intent.js";
import { detectRefusal, type RefusalCheck } from "./detect-refusal.js";
import type { SafetyMatch, SafetyScreen } from "../safety/screen-safety.js";
import type { TextModel } from "../model/types.js";
import { judgePrompt, type JudgeResult } from "./judge-prompt.js";
import type { JudgeFormat } from "./rubric.js";

/** Everything the guard knows about one candidate prompt. */
export interface PromptAssessment {
  unsafe: SafetyMatch[];
  categories: string[];
  refusal: RefusalCheck;
  intent: IntentCheck;
  judge?: JudgeResult;
  /** What is wrong, in the guard's terms; empty when the prompt passes. */
  problems: ("unsafe" | "imprecise" | "refusal" | "judge-failed")[];
}

export interface AssessOptions {
  screen: SafetyScreen;
  judge?: TextModel;
  judgeFormat?: JudgeFormat;
  minCoverage?: number;
  /** The query's intent, when the caller assesses several prompts for one query (computed here otherwise). */
  intent?: QueryIntent;
  signal?: AbortSignal;
}

/**
 * Deterministic checks first (safety screen, refusal, intent), then the judge when one is configured. With a judge,
 * accuracy follows its verdict plus the hard lexical signals (numbers, quoted text, names, styles, -neg, -camera);
 * without one, the intent check decides alone.
 */
export async function assessPrompt(query: string, prompt: string, options: AssessOptions): Promise<PromptAssessment> {
  const screened = options.screen(prompt);
  const unsafe = (screened.matches ?? []).filter((m) => !m.context);
  const refusal = detectRefusal(prompt);
  const intent = checkIntent(options.intent ?? query, prompt, { minCoverage: options.minCoverage, screen: options.screen });
  const problems: PromptAssessment["problems"] = [];
  if (refusal.refusal) problems.push("refusal");
  if (screened.categories.length) problems.push("unsafe");
  let judge: JudgeResult | undefined;
  if (options.judge && !refusal.refusal) {
    judge = await judgePrompt(query, prompt, { model: options.judge, format: options.judgeFormat, signal: options.signal });
    const category = judge.verdict?.category;
    if (judge.status === "failed") problems.push("judge-failed");
    else if (category === "refusal" && !problems.includes("refusal")) problems.push("refusal");
    else if (category === "unsafe" && !problems.includes("unsafe")) problems.push("unsafe");
    if (category === "imprecise" || intent.requiredMissing.length || intent.contradicted.length) problems.push("imprecise");
  } else if (!intent.passed && !refusal.refusal) problems.push("imprecise");
  return { unsafe, categories: screened.categories, refusal, intent, ...(judge ? { judge } : {}), problems: [...new Set(problems)] };
}

/** The critique a refiner gets: the deterministic findings, then the judge's own words. */
export function guardCritique(a: PromptAssessment): string {
  const lines: string[] = [];
  if (a.unsafe.length) lines.push(`Remove these unsafe elements completely: ${[...new Set(a.unsafe.map((m) => m.text))].join("; ")}.`);
  if (a.refusal.refusal) lines.push("The prompt is a refusal, not a video prompt: describe the safe part of the query as a scene.");
  if (a.intent.requiredMissing.length) lines.push(`Restore these elements of the query: ${a.intent.requiredMissing.join("; ")}.`);
  else if (!a.intent.passed && a.intent.missing.length) lines.push(`Keep more of the query; missing: ${a.intent.missing.slice(0, 8).join("; ")}.`);
  if (a.intent.contradicted.length) lines.push(`The query's -neg flag excludes: ${a.intent.contradicted.join("; ")}; leave them out.`);
  const v = a.judge?.verdict;
  if (v && v.category !== "aligned") {
    if (v.critique) lines.push(v.critique);
    if (v.accurate.missing.length) lines.push(`Judge says missing: ${v.accurate.missing.join("; ")}.`);
    if (v.harmless.issues.length) lines.push(`Judge says unsafe: ${v.harmless.issues.join("; ")}.`);
  }
  return lines.join("\n");
}
