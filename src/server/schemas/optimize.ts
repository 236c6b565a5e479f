import { z } from "zod";
import { GUARD_POLICIES, type GuardPolicy } from "../../guard/guarded-optimize.js";
import { PRESETS, type PresetName } from "../../optimize/sampling.js";
import { SELECT_METHODS } from "../../select/types.js";
import { OUTPUT_FORMATS, type OutputFormat } from "../../optimize/prompt-spec.js";
import { DEFAULT_MAX_SHOTS } from "../../optimize/shape-result.js";

export const samplingSchema = z.strictObject({
  temperature: z.number().min(0).max(5).optional(),
  topP: z.number().gt(0).max(1).optional(),
  topK: z.number().int().min(0).optional(),
  seed: z.number().int().optional(),
  maxTokens: z.number().int().min(1).max(8192).optional(),
});

export const guardSchema = z.strictObject({
  policy: z.enum(GUARD_POLICIES as [GuardPolicy, ...GuardPolicy[]]).optional().describe("sanitize (default), refuse or pass-through"),
  rounds: z.number().int().min(0).max(5).optional(),
  minCoverage: z.number().min(0).max(1).optional(),
  judgeFormat: z.enum(["json", "text"]).optional(),
});

/** The options of `optimize()` a request may set (and `guard` for `guardedOptimize()`). */
export const optimizeSettingsShape = {
  preset: z.enum(Object.keys(PRESETS) as [PresetName, ...PresetName[]]).optional(),
  sampling: samplingSchema.optional(),
  candidates: z.number().int().min(1).max(16).optional(),
  iterations: z.number().int().min(1).max(8).optional(),
  stripFlags: z.boolean().optional(),
  guard: z.union([z.boolean(), guardSchema]).optional().describe("true or guard settings: run the guard and add its report"),
  keep: z.array(z.string().min(1).max(200)).max(32).optional().describe("terms the prompt must hold verbatim (beside quoted text, on-screen text and LoRA triggers, protected automatically)"),
  protectTerms: z.boolean().optional().describe("false: protect only the keep terms"),
  lang: z.string().regex(/^(?:[a-z]{2}|same|auto)$/).optional().describe("prompt language: an ISO 639-1 code, same (the query's) or auto (default)"),
  negatives: z.enum(["compose", "generate"]).optional().describe("generate: add scene-specific negative terms from the model"),
  format: z.enum(OUTPUT_FORMATS as [OutputFormat, ...OutputFormat[]]).optional().describe("add the prompt spec: json as `spec`, text or yaml as `formatted`"),
  shots: z.number().int().min(2).max(DEFAULT_MAX_SHOTS).optional().describe("plan the prompt as N shots (`shots` in the result)"),
  target: z.string().min(1).max(100).optional().describe("the video model the prompt is for (a `vpo targets` id or alias): its token budget, -ar/-fps values and guide"),
};

export function optimizeBodySchema(maxBatch: number) {
  return z
    .strictObject({
      query: z.string().optional(),
      queries: z.array(z.string()).min(1).max(maxBatch).optional(),
      stream: z.boolean().optional().describe("answer with server-sent events: deltas, then the result"),
      ...optimizeSettingsShape,
      n: z.number().int().min(1).max(16).optional().describe("sample n candidates (the same as candidates)"),
      select: z.enum(SELECT_METHODS).optional().describe("with n > 1: pick the best candidate by checks, judge or tournament; every candidate comes back with its scores and the why"),
      image: z.string().min(1).optional().describe("image-to-video: the first frame as a data URL (data:image/png;base64,…), or an http(s) URL on servers started with --allow-image-urls"),
    })
    .refine((b) => (b.query === undefined) !== (b.queries === undefined), { message: "give exactly one of query or queries" })
    .refine((b) => !(b.stream && b.queries), { message: "stream one query at a time (query, not queries)" })
    .refine((b) => !(b.n !== undefined && b.candidates !== undefined && b.n !== b.candidates), { message: "give n or candidates, not both" })
    .refine((b) => !((b.select || b.image) && b.queries), { message: "select and image take one query (query, not queries)" })
    .refine((b) => !(b.select && b.stream), { message: "select answers once every candidate is scored: it does not stream" });
}

export type OptimizeBody = z.infer<ReturnType<typeof optimizeBodySchema>>;
