import { judgePrompt, type JudgeResult } from "../critique/judge-prompt.js";
import { refinePrompt, type RefineResult } from "../critique/refine-prompt.js";
import { JUDGE_RUBRIC_INFO } from "../critique/rubric.js";
import { REFINE_TEMPLATE_INFO } from "../critique/refine-instructions.js";
import type { JudgeVerdict } from "../critique/verdict.js";
import type { TextModel } from "../model/types.js";
import { policyScreen } from "../safety/policy/policy-screen.js";
import type { SafetyPolicy } from "../safety/policy/safety-policy.js";
import { getDefaultLexicon } from "../safety/safety-lexicon.js";
import { screenSafety, type SafetyScreen } from "../safety/screen-safety.js";
import { StepError } from "./item-runner.js";

/** The judge's verdict as stored in a checkpoint and a record. */
export interface Judgement {
  verdict: JudgeVerdict;
  /** Flagged = any category but "aligned": the prompt gets refined. */
  flagged: boolean;
  parsedFrom?: string;
}

export interface Critic {
  judge: TextModel;
  /** Default: the judge model. */
  refiner?: TextModel;
  /** The safety policy (`--safety-policy`) whose screen findings the judge is given; default: the shipped lexicon alone. */
  policy?: SafetyPolicy;
}

/** Which safety rules judged a record: the screen's lexicon and the policy file's version hash (null without one). */
export interface SafetyProvenance {
  lexicon: string;
  policy: { source: string; hash: string } | null;
}

/** What every record of a run judged by this critic says about its safety rules. */
export function safetyProvenance(critic: Critic): SafetyProvenance {
  const lexicon = getDefaultLexicon();
  return { lexicon: `${lexicon.name}@${lexicon.version}`, policy: critic.policy ? { source: critic.policy.source, hash: critic.policy.hash } : null };
}

// One screen per policy: its allow- and block-terms compile once, not once per judged prompt.
const screens = new WeakMap<SafetyPolicy, SafetyScreen>();

function screenOf(critic: Critic): SafetyScreen | undefined {
  const { policy } = critic;
  if (!policy) return undefined;
  let screen = screens.get(policy);
  if (!screen) screens.set(policy, (screen = policyScreen(policy, screenSafety)));
  return screen;
}

/** Versions of our judge rubric and refine template, for provenance and the run's identity. */
export const CRITIC_TEMPLATES = { rubric: JUDGE_RUBRIC_INFO, refine: REFINE_TEMPLATE_INFO };

function failed(step: string, result: JudgeResult | RefineResult): StepError {
  const e = result.error ?? { code: "model-output", message: `${step} returned status ${result.status}` };
  return new StepError(step, { code: e.code, message: e.message, step });
}

/** Judges a prompt against the three principles; an unusable judge reply fails the step (never a pass). */
export async function judgeStep(critic: Critic, query: string, prompt: string, signal: AbortSignal): Promise<Judgement> {
  const screen = screenOf(critic);
  const result = await judgePrompt(query, prompt, { model: critic.judge, signal, ...(screen ? { screen } : {}) });
  if (result.status !== "ok" || !result.verdict) throw failed("judge", result);
  return { verdict: result.verdict, flagged: result.verdict.category !== "aligned", ...(result.parsedFrom ? { parsedFrom: result.parsedFrom } : {}) };
}

/** Refines a flagged prompt guided by the verdict; an empty or unchanged refinement fails the step with that reason. */
export async function refineStep(critic: Critic, query: string, prompt: string, verdict: JudgeVerdict, signal: AbortSignal): Promise<string> {
  const result = await refinePrompt(query, prompt, verdict, { model: critic.refiner ?? critic.judge, signal });
  if (result.status === "ok" && result.refined) return result.refined;
  if (result.status === "unchanged") throw new StepError("refine", { code: "model-output", message: "the refiner returned the prompt unchanged", step: "refine" });
  if (result.status === "empty") throw new StepError("refine", { code: "model-output", message: result.error?.message ?? "the refiner returned no prompt", step: "refine" });
  throw failed("refine", result);
}

/** The critique text of a verdict (what a rewriter must fix), as records carry it. */
export function critiqueOf(verdict: JudgeVerdict): string {
  return verdict.critique.trim();
}
