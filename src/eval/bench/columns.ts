import type { Checklist } from "../../reward/checklist.js";
import type { Answer } from "../../reward/types.js";

/** The score a checklist reward gives in total (VisionReward's overall). */
export const OVERALL = "overall";
/** The one column of a scalar reward. */
export const SCORE = "score";

/**
 * The MonetBench-style dimensions of a checklist: those its questions name, in file order, that carry weight
 * (a dimension whose questions all weigh 0 would be a column of zeros).
 */
export function checklistDimensions(checklist: Checklist): string[] {
  const weight = new Map<string, number>();
  checklist.dimensions?.forEach((d, i) => {
    if (d) weight.set(d, (weight.get(d) ?? 0) + Math.abs(checklist.weights[i]!));
  });
  return [...weight].filter(([, w]) => w > 0).map(([d]) => d);
}

/**
 * A reward as table columns: with checklist answers, per dimension the sum of the weights of that dimension's
 * questions answered yes, plus `overall` (the whole weighted sum); a scalar reward is one `score` column.
 */
export function rewardColumns(checklist: Checklist, reward: { score: number; answers?: readonly Answer[] }): Record<string, number> {
  if (!reward.answers) return { [SCORE]: reward.score };
  const out: Record<string, number> = {};
  for (const d of checklistDimensions(checklist)) out[d] = 0;
  reward.answers.forEach((a, i) => {
    const d = checklist.dimensions?.[i];
    if (a === "yes" && d && d in out) out[d]! += checklist.weights[i]!;
  });
  out[OVERALL] = reward.score;
  return out;
}
