import type { OptimizeResult } from "../optimize/optimize.js";
import { addUsage } from "../model/types.js";
import { selectBest } from "./select-best.js";
import type { Selection, SelectOptions } from "./types.js";

export type SelectedResult = OptimizeResult & { selection?: Selection };

/**
 * An optimize result with its K candidates put through selectBest: `prompt` becomes the winner and `selection`
 * says how it won. Candidates whose generation failed take no part (the selection's indexes count the successful
 * ones, in order); a failed result, or one with no successful prompt, comes back unchanged.
 */
export async function selectFromResult(result: OptimizeResult, options: SelectOptions): Promise<SelectedResult> {
  const prompts = result.candidates ? result.candidates.flatMap((c) => (c.status === "ok" && c.prompt !== null ? [c.prompt] : [])) : result.prompt !== null ? [result.prompt] : [];
  if (result.status !== "ok" || !prompts.length) return result;
  const selection = await selectBest(result.query, prompts, options);
  // How the winner kept its protected terms is the winner's own report, not the first candidate's.
  const kept = result.candidates?.find((c) => c.prompt === selection.prompt)?.protectedTerms ?? result.protectedTerms;
  return { ...result, prompt: selection.prompt, ...(kept ? { protectedTerms: kept } : {}), usage: addUsage({ ...result.usage }, selection.usage), selection };
}
