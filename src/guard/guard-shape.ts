import type { ParsedQuery } from "../intent/parse-query.js";
import type { OptimizeResult } from "../optimize/optimize.js";
import { shapeResult, type Shaped } from "../optimize/shape-result.js";
import type { PromptShapeOptions } from "../optimize/shape-options.js";
import { redactUnsafe } from "../safety/redact.js";
import type { SafetyScreen } from "../safety/screen-safety.js";
import { insertTerms } from "../terms/insert-terms.js";
import { findProtectedTerms, missingTerms, withoutProtectedText, type ProtectedTerm } from "../terms/protected-terms.js";
import { isInLanguage } from "../text/detect-language.js";
import type { GuardOptions } from "./guard-types.js";

/**
 * The protected terms the guard enforces: a term its screen flags is not protected (the guard's job is to drop it),
 * and the change list says so.
 */
export function guardedTerms(parsed: ParsedQuery, options: PromptShapeOptions, screen: SafetyScreen, changes: string[]): ProtectedTerm[] {
  const all = options.protectedTerms ?? findProtectedTerms(options.protectTerms === false ? undefined : parsed, options.keep ?? []);
  return all.filter((t) => {
    const flagged = screen(t.text).flagged;
    if (flagged) changes.push(`not protecting "${t.text}": the safety screen flags it`);
    return !flagged;
  });
}

/** The optimizer's options inside the guard: the safe terms protected, shots and generated negatives left for the end. */
export function innerOptions(options: GuardOptions, terms: ProtectedTerm[]): GuardOptions {
  return { ...options, protectedTerms: terms, shots: undefined, negatives: "compose" };
}

/**
 * After the guard's rounds: the final prompt re-checked for its protected terms (a refinement may have dropped one:
 * it is inserted again), then the shot plan and the negative prompt made from the final prompt, and the joined shots
 * screened like any prompt (flagged spans cut out unless the policy is pass-through).
 */
export async function shapeGuarded(
  result: OptimizeResult,
  parsed: ParsedQuery,
  prompt: string,
  terms: ProtectedTerm[],
  options: GuardOptions,
  context: { screen: SafetyScreen; passThrough: boolean; changes: string[]; warnings: Set<string> },
): Promise<Shaped> {
  const lost = missingTerms(prompt, terms);
  let final = prompt;
  if (lost.length) {
    final = insertTerms(prompt, lost, result.language?.output);
    context.changes.push(`re-inserted protected terms the guard's rounds dropped: ${lost.map((t) => t.text).join(", ")}`);
  }
  const kept = terms.map((t) => (lost.includes(t) ? { ...t, kept: "inserted" as const } : (result.protectedTerms?.find((k) => k.text === t.text) ?? { ...t, kept: "verbatim" as const })));
  const language = result.language;
  // A refinement is written by another model, which may answer in English whatever it was asked: said, not hidden.
  if (language && prompt !== result.prompt && !(await isInLanguage(withoutProtectedText(final, terms), language.output))) {
    result.language = { ...language, matched: false };
    context.warnings.add(`the guard's final prompt is not in ${language.output}`);
  }
  const plan = { terms, detected: { language: language?.detected ?? "en", reliable: language?.reliable ?? false }, output: language?.output ?? "en" };
  const shaped = await shapeResult(parsed, final, kept, plan, options, { model: options.model, usage: result.usage, warnings: context.warnings, signal: options.signal });
  if ("error" in shaped || options.shots === undefined || context.passThrough) return shaped;
  const cut = redactUnsafe(shaped.prompt, context.screen);
  if (cut.removed.length) context.changes.push(`removed flagged terms from the shot plan: ${[...new Set(cut.removed)].join(", ")}`);
  return { ...shaped, prompt: cut.text };
}
