import { assessPrompt } from "../critique/assess-prompt.js";
import type { ParsedQuery } from "../intent/parse-query.js";
import type { SafetyScreen } from "../safety/screen-safety.js";
import type { CheckScores } from "./types.js";

/** About CogVideoX's 226 T5 tokens at ~1.33 tokens a word: a longer prompt is cut by the text encoder. */
export const DEFAULT_MAX_WORDS = 170;

const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;

/** The deterministic checks of one candidate: the guard's assessment (safety screen, refusal, intent) and its length. */
export async function checkScores(query: ParsedQuery, prompt: string, options: { screen: SafetyScreen; minCoverage?: number; maxWords?: number }): Promise<CheckScores> {
  const a = await assessPrompt(query, prompt, { screen: options.screen, minCoverage: options.minCoverage });
  const words = wordCount(prompt);
  return {
    safe: a.categories.length === 0,
    categories: a.categories,
    refusal: a.refusal.refusal,
    intentPassed: a.intent.passed,
    coverage: a.intent.coverage,
    requiredMissing: a.intent.requiredMissing,
    words,
    withinBudget: words <= (options.maxWords ?? DEFAULT_MAX_WORDS),
    ...(a.intent.frame?.shownByFrame.length ? { shownByFrame: a.intent.frame.shownByFrame } : {}),
  };
}

/**
 * Orders two candidates by their checks, best first (negative: `a` is better): safe, no refusal, intent passed,
 * coverage, within the length budget, then the longer (more detailed) prompt within the budget or the shorter one
 * over it. 0 when the checks cannot tell them apart.
 */
export function compareChecks(a: CheckScores, b: CheckScores): number {
  const flags = (c: CheckScores) => [c.safe, !c.refusal, c.intentPassed];
  for (const [x, y] of flags(a).map((v, i) => [v, flags(b)[i]!] as const)) if (x !== y) return x ? -1 : 1;
  if (a.coverage !== b.coverage) return b.coverage - a.coverage;
  if (a.withinBudget !== b.withinBudget) return a.withinBudget ? -1 : 1;
  if (a.words !== b.words) return a.withinBudget ? b.words - a.words : a.words - b.words;
  return 0;
}

/** What made `a` rank above `b` by the checks, in words (for the selection's `why`). */
export function checksReason(a: CheckScores, b: CheckScores): string {
  if (a.safe !== b.safe) return "it passes the safety screen";
  if (a.refusal !== b.refusal) return "it is a prompt, not a refusal";
  if (a.intentPassed !== b.intentPassed) return "it passes the intent check";
  if (a.coverage !== b.coverage) return `it keeps more of the query (coverage ${a.coverage.toFixed(2)} vs ${b.coverage.toFixed(2)})`;
  if (a.withinBudget !== b.withinBudget) return "it fits the length budget";
  if (a.words !== b.words) return a.withinBudget ? `it is more detailed within the length budget (${a.words} vs ${b.words} words)` : `it overflows the length budget less (${a.words} vs ${b.words} words)`;
  return "the checks tie and it comes first";
}
