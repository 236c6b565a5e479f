import { emptyUsage } from "../model/types.js";
import { optimize, type OptimizeResult } from "../optimize/optimize.js";
import type { PreparedQuery } from "../optimize/query.js";
import { resolveSampling } from "../optimize/sampling.js";
import { vpoTemplate } from "../optimize/template.js";
import type { GuardOptions, GuardPolicy, GuardedResult } from "./guard-types.js";
import { SafetyStages } from "./safety-stages.js";

/** An empty or over-long query: optimize() records why, as it would without the guard. */
export async function unusableQuery(query: string | PreparedQuery, options: GuardOptions, policy: GuardPolicy): Promise<GuardedResult> {
  const failed = await optimize(query, options);
  const changes = [`the optimizer produced no prompt: ${failed.error?.message ?? "failed"}`];
  return { ...failed, report: { status: "fallback", policy, categories: [], flagged: { query: [], prompt: [] }, missing: [], coverage: 0, changes, rounds: 0, steps: [], safety: new SafetyStages(options.safety ?? {}, policy === "pass-through" ? "pass" : policy, options.signal).report() } };
}

/** The result of a query refused before any generation: provenance filled in as optimize() would. */
export function refusedResult(query: PreparedQuery, options: GuardOptions, message: string): OptimizeResult {
  const template = options.template ?? vpoTemplate;
  return {
    query: query.raw,
    prompt: null,
    flags: query.flags,
    model: options.model.info,
    template: { name: template.name, version: template.version },
    sampling: resolveSampling(options.preset, options.sampling),
    usage: emptyUsage(),
    status: "failed",
    error: { code: "refused", message },
    ...(query.flags.warnings ? { warnings: query.flags.warnings } : {}),
  };
}
