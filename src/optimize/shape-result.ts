import { UsageError } from "../errors.js";
import { extractIntent, type IntentItem } from "../intent/intent-items.js";
import type { ParsedQuery } from "../intent/parse-query.js";
import type { TextModel, Usage } from "../model/types.js";
import { joinShots } from "../shots/join-shots.js";
import { planShots } from "../shots/plan-shots.js";
import { detectLanguage, type LanguageGuess } from "../text/detect-language.js";
import { generateNegativeTerms } from "../terms/generate-negatives.js";
import { insertTerms } from "../terms/insert-terms.js";
import { composeNegativePrompt } from "../terms/negative-prompt.js";
import { findProtectedTerms, missingTerms, withoutProtectedText, type ProtectedTerm, type ProtectedTermReport } from "../terms/protected-terms.js";
import { checkLanguageOption, resolveOutputLanguage } from "./output-language.js";
import type { PreparedQuery } from "./query.js";
import type { PromptShapeOptions, ShapedFields } from "./shape-options.js";

/** Default cap on `shots` when the target sets none. */
export const DEFAULT_MAX_SHOTS = 6;

/** What shaping needs to know about a query, found once before any generation. */
export interface ShapePlan {
  terms: ProtectedTerm[];
  detected: LanguageGuess;
  output: string;
}

/** Throws UsageError for shaping options that cannot work (checked before any model call). */
export function checkShapeOptions(options: PromptShapeOptions, candidates: number): void {
  checkLanguageOption(options.lang);
  if (options.negatives !== undefined && options.negatives !== "compose" && options.negatives !== "generate") {
    throw new UsageError(`negatives must be compose or generate, got "${options.negatives}"`);
  }
  if (options.shots === undefined) return;
  const max = options.maxShots ?? DEFAULT_MAX_SHOTS;
  if (!Number.isInteger(options.shots) || options.shots < 2 || options.shots > max) throw new UsageError(`shots must be an integer from 2 to ${max}, got ${options.shots}`);
  if (candidates > 1) throw new UsageError("plan shots for one prompt: use candidates = 1 with shots");
}

/** The protected terms of a query and its detected and output languages. */
export async function planShape(query: PreparedQuery, options: PromptShapeOptions): Promise<ShapePlan> {
  const terms = options.protectedTerms ? [...options.protectedTerms] : findProtectedTerms(options.protectTerms === false ? undefined : query, options.keep ?? []);
  // Quoted text and protected terms are in their own language: the query's language is read from the rest.
  const detected = await detectLanguage(withoutProtectedText(query.text, terms));
  return { terms, detected, output: resolveOutputLanguage(options.lang, detected, options.targetLanguages) };
}

export interface ShapeContext {
  model: TextModel;
  usage: Usage;
  warnings: Set<string>;
  signal?: AbortSignal;
}

/** The result fields shaping adds after the prompt is final, or why the shot plan failed. */
export type Shaped = { prompt: string; fields: ShapedFields } | { error: { code: "model-output"; message: string; raw?: string }; fields: ShapedFields };

/** A query the guard parsed carries its intent; one read by optimize() alone has it extracted here. */
const intentOf = (query: PreparedQuery | ParsedQuery): readonly IntentItem[] => ("intent" in query ? query.intent.items : extractIntent(query).items);

/**
 * The steps after the prompt is final: with `shots`, the shot plan joined in the target's syntax (protected terms
 * re-checked on the joined text, inserted when a shot lost them); then the negative prompt composed against the
 * final prompt (the model lists scene-specific terms first with `negatives: "generate"`).
 */
export async function shapeResult(query: PreparedQuery | ParsedQuery, prompt: string, kept: ProtectedTermReport[], plan: ShapePlan, options: PromptShapeOptions, ctx: ShapeContext): Promise<Shaped> {
  const fields: ShapedFields = {};
  let final = prompt;
  let terms = kept;
  if (options.shots !== undefined) {
    const planned = await planShots(ctx.model, prompt, { count: options.shots, keep: plan.terms.map((t) => t.text), language: plan.output, signal: ctx.signal }, ctx.usage);
    if ("error" in planned) return { error: { code: "model-output", message: `could not plan ${options.shots} shots: ${planned.error.message}`, ...(planned.error.raw ? { raw: planned.error.raw } : {}) }, fields };
    final = joinShots(planned.shots, { syntax: options.shotSyntax, separator: options.shotSeparator });
    const lost = missingTerms(final, plan.terms);
    if (lost.length) {
      final = insertTerms(final, lost, plan.output);
      terms = terms.map((t) => (lost.some((l) => l.text === t.text) ? { ...t, kept: "inserted" } : t));
    }
    fields.shots = planned.shots;
  }
  if (terms.length) fields.protectedTerms = terms;
  let generated: string[] = [];
  if (options.negatives === "generate") {
    const listed = await generateNegativeTerms(options.negativesModel ?? ctx.model, final, ctx.usage, ctx.signal);
    if (listed.error) ctx.warnings.add(`no generated negative terms: ${listed.error.message}`);
    generated = listed.terms;
  }
  const negative = composeNegativePrompt({ query: query.flags.negativePrompt, defaultNegative: options.defaultNegative, generated, prompt: final, intent: intentOf(query), protectedTerms: plan.terms });
  if (negative.text) fields.negativePrompt = negative.text;
  if (negative.terms.length || negative.dropped.length) fields.negative = { terms: negative.terms, dropped: negative.dropped };
  for (const d of negative.dropped) ctx.warnings.add(`left "${d.term}" (${d.source}) out of the negative prompt: ${d.reason}`);
  return { prompt: final, fields };
}
