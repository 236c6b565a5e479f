import { AbortedError } from "../errors.js";
import { addUsage, type ChatMessage, type Sampling, type TextModel, type Usage } from "../model/types.js";
import { isInLanguage } from "../text/detect-language.js";
import { insertTerms } from "../terms/insert-terms.js";
import { missingTerms, withoutProtectedText, type ProtectedTerm, type ProtectedTermReport } from "../terms/protected-terms.js";
import { cleanPrompt } from "./clean.js";
import { languageName } from "./output-language.js";
import type { Generation, GenerationContext } from "./optimize.js";
import type { ShapePlan } from "./shape-result.js";

export interface RepairContext {
  model: TextModel;
  /** The turn that produced the prompt (the template's messages): the re-ask continues that conversation. */
  messages: ChatMessage[];
  /** What the model was asked to optimize (output cleaning tells echoes from loops with it). */
  input: string;
  terms: readonly ProtectedTerm[];
  /** ISO 639-1 code the prompt must be in. */
  language: string;
  sampling?: Sampling;
  signal?: AbortSignal;
  /** Re-ask requests are added here. */
  usage: Usage;
}

export interface RepairOutcome {
  prompt: string;
  terms: ProtectedTermReport[];
  languageMatched: boolean;
  /** Whether the model was asked again. */
  reasked: boolean;
  /** Why a re-ask failed or was not used, when it was made. */
  note?: string;
}

async function check(prompt: string, ctx: RepairContext) {
  const missing = missingTerms(prompt, ctx.terms);
  const inLanguage = await isInLanguage(withoutProtectedText(prompt, ctx.terms), ctx.language);
  return { missing, inLanguage, score: missing.length + (inLanguage ? 0 : ctx.terms.length + 1) };
}

/** The follow-up turn: what is wrong, in words a model acts on. */
export function repairInstruction(missing: readonly ProtectedTerm[], language: string | undefined): string {
  const lines: string[] = [];
  if (language) lines.push(`Rewrite the video prompt in ${languageName(language)}. Keep quoted text and the terms listed below exactly as they are written, in their own language.`);
  if (missing.length) lines.push(`The video prompt must contain each of these exactly as written (same spelling, case and symbols): ${missing.map((t) => JSON.stringify(t.text)).join(", ")}.`);
  lines.push("Answer with the complete video prompt only.");
  return lines.join("\n");
}

/**
 * Makes a prompt keep every protected term verbatim and be in the output language: checked; when it fails, the
 * model is asked once more in a follow-up turn that names what is missing; terms still missing are then inserted
 * at a sentence boundary (insertTerms). A prompt still in the wrong language is kept and reported
 * (`languageMatched: false`): vpo never translates on its own. Throws only on abort.
 */
export async function repairPrompt(prompt: string, ctx: RepairContext): Promise<RepairOutcome> {
  const first = await check(prompt, ctx);
  const verbatim = (reasked: string[] = [], inserted: string[] = []): ProtectedTermReport[] =>
    ctx.terms.map((t) => ({ ...t, kept: inserted.includes(t.text) ? "inserted" : reasked.includes(t.text) ? "re-asked" : "verbatim" }));
  if (!first.score) return { prompt, terms: verbatim(), languageMatched: true, reasked: false };
  let best = { prompt, ...first };
  let note: string | undefined;
  try {
    const reply = await ctx.model.generate({
      messages: [...ctx.messages, { role: "assistant", content: prompt }, { role: "user", content: repairInstruction(first.missing, first.inLanguage ? undefined : ctx.language) }],
      sampling: ctx.sampling,
      signal: ctx.signal,
    });
    addUsage(ctx.usage, reply.usage);
    const cleaned = cleanPrompt(reply.text, { query: ctx.input });
    if (!cleaned.ok) note = `the re-ask gave no usable prompt (${cleaned.message})`;
    else {
      const again = await check(cleaned.prompt, ctx);
      if (again.score < best.score) best = { prompt: cleaned.prompt, ...again };
      else note = "the re-ask did not improve the prompt";
    }
  } catch (error) {
    if (error instanceof AbortedError || ctx.signal?.aborted) throw new AbortedError();
    note = `the re-ask failed: ${error instanceof Error ? error.message : String(error)}`;
  }
  const reasked = first.missing.filter((t) => !best.missing.includes(t)).map((t) => t.text);
  const final = insertTerms(best.prompt, best.missing, best.inLanguage ? ctx.language : "en");
  return {
    prompt: final,
    terms: verbatim(reasked, best.missing.map((t) => t.text)),
    languageMatched: best.inLanguage,
    reasked: true,
    ...(note ? { note } : {}),
  };
}

/** One generation's prompt made to keep its protected terms and be in the output language; notes go to `warnings`. */
export async function repairGeneration(gen: Generation, plan: ShapePlan, ctx: GenerationContext, usage: Usage, warnings: Set<string>): Promise<Generation & { languageMatched?: boolean }> {
  if (gen.status !== "ok" || gen.prompt === null) return gen;
  const { preset: _preset, ...params } = ctx.sampling;
  const fixed = await repairPrompt(gen.prompt, {
    model: ctx.model,
    messages: ctx.template.render(gen.input),
    input: gen.input,
    terms: plan.terms,
    language: plan.output,
    sampling: { ...params, seed: gen.seed },
    signal: ctx.signal,
    usage,
  });
  if (fixed.note) warnings.add(fixed.note);
  if (!fixed.languageMatched) warnings.add(`the prompt is not in ${plan.output} even after a re-ask`);
  for (const t of fixed.terms) if (t.kept === "inserted") warnings.add(`inserted the protected term "${t.text}" the model left out`);
  return { ...gen, prompt: fixed.prompt, ...(fixed.terms.length ? { protectedTerms: fixed.terms } : {}), languageMatched: fixed.languageMatched };
}
