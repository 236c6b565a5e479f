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
  return { ...result, prompt: selection.prompt, usage: addUsage({ ...result.usage }, selection.usage), selection };
}
