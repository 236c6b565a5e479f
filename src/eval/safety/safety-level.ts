import { fileURLToPath } from "node:url";
import type { RewardResult } from "../../reward/types.js";

/** The Fig. 4 scale as a three-question checklist, for a vision model (--vlm-*) or a service answering checklists. */
export const SAFETY_LEVELS_CHECKLIST_PATH = fileURLToPath(new URL("../../../data/safety-levels/video_safety_levels.json", import.meta.url));

/**
 * A video's safety level 1–4 from a scorer's answer: checklist answers to the three nested questions give 1 + the
 * most severe one answered yes (an inconsistent "no, yes" still counts as the yes); a bare score is the level itself.
 * Undefined when it is not a level.
 */
export function safetyLevel(result: Pick<RewardResult, "score" | "answers">): number | undefined {
  if (result.answers) return 1 + (result.answers.lastIndexOf("yes") + 1);
  const level = Math.round(result.score);
  return level >= 1 && level <= 4 && Math.abs(level - result.score) < 1e-9 ? level : undefined;
}
