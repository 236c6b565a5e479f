import { AbortedError, InputError, UsageError, errorRecord, type BackendFailure, type VpoErrorCode, type ModelOutputReason } from "../errors.js";
import { addUsage, emptyUsage, type FinishReason, type ModelInfo, type Sampling, type TextModel, type Usage } from "../model/types.js";
import { cleanPrompt } from "./clean.js";
import type { QueryFlags } from "./flags.js";
import { DEFAULT_MAX_QUERY_CHARS, isPreparedQuery, readQuery, type PreparedQuery } from "./query.js";
import { resolveSampling, type PresetName, type ResolvedSampling } from "./sampling.js";
import { vpoTemplate, type PromptTemplate } from "./template.js";
import { repairGeneration } from "./repair-prompt.js";
import { checkShapeOptions, planShape, shapeResult } from "./shape-result.js";
import type { PromptShapeOptions, ShapedFields } from "./shape-options.js";
import type { ProtectedTermReport } from "../terms/protected-terms.js";
import { fitToBudget, type PromptLength } from "../target/fit-budget.js";
import { isVpoContract, withTargetGuide } from "../target/guide.js";
import { mapFlagsToTarget, type FlagMapping } from "../target/map-flags.js";
import { targetInfo, type TargetInfo, type TargetSettings } from "../target/target-settings.js";
import { missingTerms } from "../terms/protected-terms.js";
import { insertTerms } from "../terms/insert-terms.js";
import { withTargetShape } from "../target/shape-defaults.js";

export interface OptimizeOptions extends PromptShapeOptions {
  model: TextModel;
  /** Default: the VPO model contract. */
  template?: PromptTemplate;
  /** "official" (T 0.7, top_p 1.0, the default) or "sample" (T 0.9, top_p 0.9, the DPO sampling setting). */
  preset?: PresetName;
  /** Overrides of the preset (temperature, topP, topK, seed, maxTokens). */
  sampling?: Sampling;
  /** K samples; `prompt` is the first that succeeded (default 1). Candidate i uses seed + i when a seed is set. */
  candidates?: number;
  /** Re-optimize the output as the next query up to N times, stopping early when it stops changing (default 1). */
  iterations?: number;
  /** Remove "-ar 16:9"-style flags before the model sees the query (for models that did not learn them). */
  stripFlags?: boolean;
  maxQueryChars?: number;
  /**
   * The video model the prompt is for (--target): -ar/-fps mapped to what it supports, the prompt brought within
   * its token budget (condensed by the same model), and its length/style guide in the template's system turn —
   * except for the VPO model contract, which stays byte-exact, so a stock VPO model gets the target through the
   * budget and condensing only.
   */
  target?: TargetSettings;
  signal?: AbortSignal;
  /**
   * Stream the raw model text as it is generated: `index` is the candidate (or the iteration step), `text` the whole
   * raw reply so far (before output cleaning; a retried attempt starts again from "").
   */
  onText?: (update: { index: number; text: string }) => void;
}

export interface OutcomeError {
  code: VpoErrorCode | "internal";
  message: string;
  reason?: ModelOutputReason;
  /** The model's reply when it was unusable (first 2,000 characters), for diagnosis. */
  raw?: string;
  /** For code "backend": the server's HTTP status, or that it timed out. */
  backend?: BackendFailure;
}

/** One generation: a candidate, or one step of iterative optimization. */
export interface Generation {
  /** What the model was asked to optimize. */
  input: string;
  prompt: string | null;
  status: "ok" | "failed";
  seed?: number;
  finishReason?: FinishReason;
  /** What output cleaning removed (lead-ins, quotes, reasoning, …). */
  cleaned?: string[];
  /** Each protected term and how this prompt kept it (verbatim, re-asked, inserted). */
  protectedTerms?: ProtectedTermReport[];
  error?: OutcomeError;
}

export interface OptimizeResult extends ShapedFields {
  query: string;
  prompt: string | null;
  flags: QueryFlags;
  candidates?: Generation[];
  steps?: Generation[];
  model: ModelInfo;
  template: { name: string; version: string };
  sampling: ResolvedSampling;
  usage: Usage;
  status: "ok" | "failed";
  error?: OutcomeError;
  warnings?: string[];
  /** With a target: which, and the -ar/-fps values mapped to what it supports. */
  target?: TargetInfo & { flags?: FlagMapping[]; changes?: string[] };
  /** With a target: the final prompt's tokens against the budget, and how they were counted. */
  length?: PromptLength;
}

function positiveInt(name: string, value: number | undefined, fallback: number): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 1) throw new UsageError(`${name} must be a positive integer, got ${value}`);
  return v;
}

export interface GenerationContext {
  model: TextModel;
  template: PromptTemplate;
  sampling: ResolvedSampling;
  signal?: AbortSignal;
  onText?: OptimizeOptions["onText"];
}

async function generateOnce(input: string, seed: number | undefined, index: number, ctx: GenerationContext, usage: Usage, warnings: Set<string>): Promise<Generation> {
  const { model, template, sampling, signal, onText } = ctx;
  const base: Generation = { input, prompt: null, status: "failed", ...(seed !== undefined ? { seed } : {}) };
  try {
    const { preset: _preset, ...params } = sampling;
    const reply = await model.generate({
      messages: template.render(input),
      sampling: { ...params, seed },
      signal,
      ...(onText ? { onText: (text: string) => onText({ index, text }) } : {}),
    });
    addUsage(usage, reply.usage);
    const cleaned = cleanPrompt(reply.text, { query: input });
    if (reply.finishReason === "length") warnings.add(`output reached the ${sampling.maxTokens}-token limit and may be cut off (raise --max-tokens)`);
    if (!cleaned.ok) {
      return { ...base, finishReason: reply.finishReason, error: { code: "model-output", reason: cleaned.reason, message: cleaned.message, raw: reply.text.slice(0, 2000) } };
    }
    return { ...base, prompt: cleaned.prompt, status: "ok", finishReason: reply.finishReason, ...(cleaned.changes.length ? { cleaned: cleaned.changes } : {}) };
  } catch (error) {
    if (error instanceof AbortedError || signal?.aborted) throw new AbortedError();
    return { ...base, error: errorRecord(error) };
  }
}

/**
 * Condensing to the budget must not cost a protected term: one it dropped is put back verbatim (at a sentence
 * boundary), the report says so, and the length is counted again.
 */
function restoreProtectedTerms(result: OptimizeResult, target: TargetSettings, warnings: Set<string>): void {
  if (result.prompt === null || !result.protectedTerms?.length) return;
  const lost = missingTerms(result.prompt, result.protectedTerms);
  if (!lost.length) return;
  result.prompt = insertTerms(result.prompt, lost, result.language?.output ?? "en");
  const put = new Set(lost.map((t) => t.text));
  result.protectedTerms = result.protectedTerms.map((t) => (put.has(t.text) ? { ...t, kept: "inserted" as const } : t));
  if (result.length) result.length = { ...result.length, tokens: target.counter.count(result.prompt) };
  warnings.add(`condensing to the ${target.profile.name} budget dropped ${lost.map((t) => JSON.stringify(t.text)).join(", ")}: put back verbatim`);
}

/** Brings the final prompt within the target's budget (fitToBudget), recording the length and what was done. */
async function applyBudget(result: OptimizeResult, query: string, target: TargetSettings, options: OptimizeOptions): Promise<void> {
  const fit = await fitToBudget(result.prompt!, {
    model: options.model,
    query,
    counter: target.counter,
    budget: target.budget,
    profile: target.profile,
    ...(target.condenseAttempts !== undefined ? { attempts: target.condenseAttempts } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  addUsage(result.usage, fit.usage);
  result.length = fit.length;
  if (fit.changes.length) result.target!.changes = fit.changes;
  result.prompt = fit.prompt;
  if (fit.error) result.error = fit.error;
}

const sameText = (a: string, b: string) => a.replace(/\s+/g, " ").trim().toLowerCase() === b.replace(/\s+/g, " ").trim().toLowerCase();

/** The query read once (prepared, flags parsed), or why it cannot be used. */
function read(query: string | PreparedQuery, maxChars: number): { parsed: PreparedQuery } | { error: unknown } {
  if (isPreparedQuery(query)) return { parsed: query };
  try {
    return { parsed: readQuery(query, maxChars) };
  } catch (error) {
    return { error };
  }
}

/**
 * Rewrites a short user query into a video prompt with the VPO model contract. Never throws for a bad query or a
 * failed generation: the result says `status: "failed"` with the reason. Throws on invalid options and on abort.
 * A caller that already read the query (readQuery, parseQuery) passes it as read, so it is not parsed again.
 */
export async function optimize(query: string | PreparedQuery, given: OptimizeOptions): Promise<OptimizeResult> {
  const options = withTargetShape(given);
  const target = options.target;
  const baseTemplate = options.template ?? vpoTemplate;
  const template = target && !isVpoContract(baseTemplate) ? withTargetGuide(baseTemplate, target.profile, target.budget) : baseTemplate;
  const sampling = resolveSampling(options.preset, options.sampling);
  const candidates = positiveInt("candidates", options.candidates, 1);
  const iterations = positiveInt("iterations", options.iterations, 1);
  if (candidates > 1 && iterations > 1) throw new UsageError("use either candidates (-n) or iterations, not both");
  checkShapeOptions(options, candidates);
  const usage = emptyUsage();
  const warnings = new Set<string>();
  const reading = read(query, options.maxQueryChars ?? DEFAULT_MAX_QUERY_CHARS);
  const result: OptimizeResult = {
    query: isPreparedQuery(query) ? query.raw : query,
    prompt: null,
    flags: "parsed" in reading ? reading.parsed.flags : { other: {} },
    model: options.model.info,
    template: { name: template.name, version: template.version },
    sampling,
    usage,
    status: "failed",
    ...(target ? { target: targetInfo(target) } : {}),
  };
  if (target && "parsed" in reading) {
    const mapped = mapFlagsToTarget(reading.parsed.flags, target.profile);
    result.flags = mapped.flags;
    if (mapped.mapped.length) result.target!.flags = mapped.mapped;
    for (const w of mapped.warnings) warnings.add(w);
  }
  if ("error" in reading) return { ...result, error: errorRecord(reading.error) };
  const input = options.stripFlags ? reading.parsed.text : reading.parsed.query;
  if (!input) return { ...result, error: errorRecord(new InputError("query is empty once its flags are removed")) };
  for (const w of reading.parsed.flags.warnings ?? []) warnings.add(w);
  // The language detector loads (once per process) while the model writes: nothing needs the plan before a reply.
  const planning = planShape(reading.parsed, options);
  planning.catch(() => undefined);
  const ctx: GenerationContext = { model: options.model, template, sampling, signal: options.signal, onText: options.onText };

  let languageMatched = true;
  if (candidates > 1) {
    const seeds = Array.from({ length: candidates }, (_, i) => (sampling.seed === undefined ? undefined : sampling.seed + i));
    const generated = await Promise.all(seeds.map(async (seed, i) => repairGeneration(await generateOnce(input, seed, i, ctx, usage, warnings), await planning, ctx, usage, warnings)));
    const first = generated.find((c) => c.status === "ok");
    languageMatched = first?.languageMatched ?? true;
    result.candidates = generated.map(({ languageMatched: _matched, ...c }) => c);
    result.prompt = first?.prompt ?? null;
    if (first?.protectedTerms) result.protectedTerms = first.protectedTerms;
    if (!first) result.error = result.candidates[0]!.error;
  } else {
    const steps: Generation[] = [];
    let current = input;
    for (let i = 0; i < iterations; i++) {
      const step = await generateOnce(current, sampling.seed, i, ctx, usage, warnings);
      steps.push(step);
      if (step.status !== "ok") break;
      if (i > 0 && sameText(step.prompt!, current)) break;
      current = step.prompt!;
    }
    const at = steps.findLastIndex((s) => s.status === "ok");
    if (at >= 0) {
      const { languageMatched: matched, ...fixed } = await repairGeneration(steps[at]!, await planning, ctx, usage, warnings);
      steps[at] = fixed;
      languageMatched = matched ?? true;
      if (fixed.protectedTerms) result.protectedTerms = fixed.protectedTerms;
    }
    result.prompt = steps[at]?.prompt ?? null;
    if (at < 0) result.error = steps[0]!.error;
    if (iterations > 1) result.steps = steps;
  }
  const plan = await planning;
  result.language = { detected: plan.detected.language, reliable: plan.detected.reliable, output: plan.output, matched: languageMatched };
  if (result.prompt !== null) {
    const shaped = await shapeResult(reading.parsed, result.prompt, result.protectedTerms ?? [], plan, options, { model: options.model, usage, warnings, signal: options.signal });
    Object.assign(result, shaped.fields);
    if ("error" in shaped) {
      result.prompt = null;
      result.error = shaped.error;
    } else result.prompt = shaped.prompt;
  }
  if (target && result.prompt !== null) {
    await applyBudget(result, input, target, options);
    restoreProtectedTerms(result, target, warnings);
  }
  result.status = result.prompt === null ? "failed" : "ok";
  if (warnings.size) result.warnings = [...warnings];
  return result;
}
