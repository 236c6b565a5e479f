import { askModel } from "./ask-model.js";
import type { JSONSchema7 } from "@ai-sdk/provider";
import { z } from "zod";
import { emptyUsage, type ModelInfo, type Sampling, type TextModel, type Usage } from "../model/types.js";
import { isPreparedQuery, type PreparedQuery } from "../optimize/query.js";
import type { JudgeError } from "./judge-prompt.js";
import { parseRefinement } from "./parse-refinement.js";
import { critiqueText, REFINE_TEMPLATE_INFO, refineMessages, type RefineFormat } from "./refine-instructions.js";
import type { JudgeVerdict } from "./verdict.js";

export interface RefineOptions {
  model: TextModel;
  signal?: AbortSignal;
  /** "json" (default): JSON schema output; "text": `Final Refined Prompt: [[start]] … [[end]]`. */
  format?: RefineFormat;
  /** Default: temperature 0.3, 512 tokens. */
  sampling?: Sampling;
}

/** One refinement, JSON-serialisable; `raw` keeps the refiner's reply for the audit trail. */
export interface RefineResult {
  query: string;
  /** The prompt that was refined. */
  prompt: string;
  critique: string;
  /** ok: a changed prompt; unchanged: the refiner returned the same prompt; empty: no prompt; failed: see error. */
  status: "ok" | "unchanged" | "empty" | "failed";
  refined: string | null;
  reflection?: string;
  /** What output cleaning removed from the refined prompt. */
  cleaned?: string[];
  raw: string;
  error?: JudgeError;
  model: ModelInfo;
  template: { name: string; version: string };
  format: RefineFormat;
  usage: Usage;
}

export const REFINE_JSON_SCHEMA = z.toJSONSchema(z.object({ reflection: z.string(), refined_prompt: z.string() }).strict()) as JSONSchema7;

export const DEFAULT_REFINE_SAMPLING: Sampling = { temperature: 0.3, maxTokens: 512 };

const same = (a: string, b: string) => a.replace(/\s+/g, " ").trim().toLowerCase() === b.replace(/\s+/g, " ").trim().toLowerCase();

/**
 * Rewrites a prompt so it meets the principles, guided by a critique (text, or a judge verdict). Never throws for a
 * failed generation; an empty or unchanged refinement is reported as such. Throws on abort.
 */
export async function refinePrompt(query: string | PreparedQuery, prompt: string, critique: string | JudgeVerdict, options: RefineOptions): Promise<RefineResult> {
  const format = options.format ?? "json";
  const usage = emptyUsage();
  const text = critiqueText(critique);
  const shown = isPreparedQuery(query) ? query.query : query;
  const base = { query: isPreparedQuery(query) ? query.raw : query, prompt, critique: text, refined: null, raw: "", model: options.model.info, template: { ...REFINE_TEMPLATE_INFO }, format, usage };
  const asked = await askModel(
    options.model,
    { messages: refineMessages(shown, prompt, text, format), sampling: { ...DEFAULT_REFINE_SAMPLING, ...options.sampling }, jsonSchema: format === "json" ? REFINE_JSON_SCHEMA : undefined, signal: options.signal },
    usage,
  );
  if ("error" in asked) return { ...base, status: "failed", error: asked.error };
  const { raw } = asked;
  const parsed = parseRefinement(raw);
  if (!parsed.ok) {
    const empty = parsed.reason === "empty" || parsed.reason === "reasoning-only";
    return { ...base, raw, status: empty ? "empty" : "failed", error: { code: "model-output", reason: parsed.reason, message: parsed.message } };
  }
  return {
    ...base,
    raw,
    status: same(parsed.prompt, prompt) ? "unchanged" : "ok",
    refined: parsed.prompt,
    ...(parsed.reflection ? { reflection: parsed.reflection } : {}),
    ...(parsed.cleaned.length ? { cleaned: parsed.cleaned } : {}),
  };
}
