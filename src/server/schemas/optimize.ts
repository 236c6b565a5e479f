import { z } from "zod";
import { GUARD_POLICIES, type GuardPolicy } from "../../guard/guarded-optimize.js";
import { PRESETS, type PresetName } from "../../optimize/sampling.js";

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
  target: z.string().min(1).max(100).optional().describe("the video model the prompt is for (a `vpo targets` id or alias): its token budget, -ar/-fps values and guide"),
};

export function optimizeBodySchema(maxBatch: number) {
  return z
    .strictObject({
      query: z.string().optional(),
      queries: z.array(z.string()).min(1).max(maxBatch).optional(),
      stream: z.boolean().optional().describe("answer with server-sent events: deltas, then the result"),
      ...optimizeSettingsShape,
    })
    .refine((b) => (b.query === undefined) !== (b.queries === undefined), { message: "give exactly one of query or queries" })
    .refine((b) => !(b.stream && b.queries), { message: "stream one query at a time (query, not queries)" });
}

export type OptimizeBody = z.infer<ReturnType<typeof optimizeBodySchema>>;
