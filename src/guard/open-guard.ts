import { openModel, type ModelSpec } from "../model/open-model.js";
import type { SafetyScreen } from "../safety/screen-safety.js";
import type { GuardOptions, GuardPolicy } from "./guarded-optimize.js";
import type { JudgeFormat } from "../critique/rubric.js";
import { openSafety, type SafetySettings } from "./open-safety.js";

/** The guard's settings as a CLI flag set, a config file or an HTTP request gives them. */
export interface GuardSettings {
  policy?: GuardPolicy;
  rounds?: number;
  minCoverage?: number;
  judgeFormat?: JudgeFormat;
  /** The judge (and refiner) model. Opened only when it names a server or a model; otherwise the checks decide. */
  judge?: ModelSpec;
  screen?: SafetyScreen;
  /** The safety classifier, the policy file and the controversial action. */
  safety?: SafetySettings;
}

/** The guard's part of GuardOptions, with the models it opened. */
export type GuardParts = Pick<GuardOptions, "policy" | "rounds" | "minCoverage" | "judgeFormat" | "judge" | "screen" | "safety">;

export interface OpenedGuard extends AsyncDisposable {
  options: GuardParts;
  /** Closes the judge and classifier models it opened. */
  dispose(): Promise<void>;
}

/** Opens what a guarded run needs beyond the optimizer: the safety stages, and the judge model when one is named. */
export async function openGuard(settings: GuardSettings): Promise<OpenedGuard> {
  const safety = await openSafety(settings.safety ?? {});
  const spec = settings.judge;
  let judge;
  try {
    judge = spec && (spec.baseUrl || spec.model) ? await openModel(spec) : undefined;
  } catch (error) {
    await safety.dispose();
    throw error;
  }
  const dispose = async () => {
    await judge?.dispose();
    await safety.dispose();
  };
  const { policy, rounds, minCoverage, judgeFormat } = settings;
  const screen = safety.screen ?? settings.screen;
  return {
    options: { policy, rounds, minCoverage, judgeFormat, safety: safety.safety, ...(screen ? { screen } : {}), ...(judge ? { judge } : {}) },
    dispose,
    [Symbol.asyncDispose]: dispose,
  };
}
