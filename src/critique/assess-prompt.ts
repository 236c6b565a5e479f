import { checkIntent, queryIntent, type IntentCheck, type QueryIntent } from "../intent/check-intent.js";
import type { ParsedQuery } from "../intent/parse-query.js";
import { detectRefusal, type RefusalCheck } from "../text/detect-refusal.js";
import type { SafetyMatch, SafetyScreen } from "../safety/screen-safety.js";
import type { Sampling, TextModel } from "../model/types.js";
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
  judgeSampling?: Sampling;
  /**
   * Also ask the judge about a prompt the refusal detector reads as a refusal with an alternative (evaluation wants
   * its category); by default only a prompt that is no refusal at all goes to the judge.
   */
  judgePartialRefusals?: boolean;
  minCoverage?: number;
  /** The query's intent, for a query given as text (a ParsedQuery carries its own; computed here otherwise). */
  intent?: QueryIntent;
  signal?: AbortSignal;
}

/**
 * Deterministic checks first (safety screen, refusal, intent), then the judge when one is configured. With a judge,
 * accuracy follows its verdict plus the hard lexical signals (numbers, quoted text, names, styles, -neg, -camera);
 * without one, the intent check decides alone. The screen and the refusal check run once per prompt: the judge gets
 * their findings (and the injected screen) instead of computing its own.
 */
export async function assessPrompt(query: string | ParsedQuery, prompt: string, options: AssessOptions): Promise<PromptAssessment> {
  const screened = options.screen(prompt);
  const unsafe = (screened.matches ?? []).filter((m) => !m.context);
  const refusal = detectRefusal(prompt);
  const ofQuery = options.intent ?? (typeof query === "string" ? queryIntent(query, options.screen) : query.intent);
  const intent = checkIntent(ofQuery, prompt, { minCoverage: options.minCoverage });
  const problems: PromptAssessment["problems"] = [];
  if (refusal.refusal) problems.push("refusal");
  if (screened.categories.length) problems.push("unsafe");
  let judge: JudgeResult | undefined;
  const judged = !refusal.refusal || (options.judgePartialRefusals === true && refusal.kind !== "full");
  if (options.judge && judged) {
    judge = await judgePrompt(query, prompt, {
      model: options.judge,
      format: options.judgeFormat,
      sampling: options.judgeSampling,
      screen: options.screen,
      facts: { screened, refusal },
      signal: options.signal,
    });
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
