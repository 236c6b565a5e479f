import type { FrameIntentReport } from "../intent/frame-intent.js";
import type { SafetyMatch, SafetyScreen } from "../safety/screen-safety.js";
import type { TextModel } from "../model/types.js";
import type { OptimizeOptions, OptimizeResult } from "../optimize/optimize.js";
import type { PromptAssessment } from "../critique/assess-prompt.js";
import type { RefineResult } from "../critique/refine-prompt.js";
import type { JudgeFormat } from "../critique/rubric.js";
import type { SafetyReport, SafetyStageOptions } from "./safety-stages.js";

export type GuardPolicy = "sanitize" | "refuse" | "pass-through";
export const GUARD_POLICIES: GuardPolicy[] = ["sanitize", "refuse", "pass-through"];

export interface GuardOptions extends OptimizeOptions {
  /** sanitize (default, the VPO behaviour): keep the safe intent, drop the unsafe part; refuse: no prompt for an unsafe query; pass-through: report only. */
  policy?: GuardPolicy;
  /** A judge model; without one the deterministic checks decide. */
  judge?: TextModel;
  /** Rewrites flagged prompts (default: the judge model). Without either, the guard re-optimizes the sanitized query. */
  refiner?: TextModel;
  /** Refinement rounds R (default 2). */
  rounds?: number;
  judgeFormat?: JudgeFormat;
  minCoverage?: number;
  screen?: SafetyScreen;
  /** A safety classifier on the query and on each prompt, the --controversial action and the policy file's actions. */
  safety?: SafetyStageOptions;
  /** Image-to-video: the first frame's caption; the intent check reads it with the query (see withCaption). */
  caption?: string;
}

/** One round of the guard, for the audit trail. */
export interface GuardStep {
  round: number;
  action: "optimize" | "refine" | "re-optimize";
  prompt: string | null;
  problems: PromptAssessment["problems"];
  categories: string[];
  missing: string[];
  judge?: PromptAssessment["judge"];
  refine?: RefineResult;
}

export interface GuardReport {
  status: "passed" | "sanitized" | "refused" | "fallback";
  policy: GuardPolicy;
  /** Every safety category seen, in the query or in any prompt. */
  categories: string[];
  flagged: { query: SafetyMatch[]; prompt: SafetyMatch[] };
  /** Query elements the final prompt still lacks. */
  missing: string[];
  coverage: number;
  /** With a caption: the query items the frame showed in the prompt's place, and the frame's items not required. */
  frame?: FrameIntentReport;
  /** What the guard did, in order, in words. */
  changes: string[];
  rounds: number;
  steps: GuardStep[];
  /** Every checker's verdict at each stage, and the policy version. */
  safety: SafetyReport;
}

export type GuardedResult = OptimizeResult & { report: GuardReport };
