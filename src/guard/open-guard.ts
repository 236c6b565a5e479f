import { openModel, type ModelSpec } from "../model/open-model.js";
import type { SafetyScreen } from "../safety/screen-safety.js";
import type { GuardOptions, GuardPolicy } from "./guarded-optimize.js";
import type { JudgeFormat } from "../critique/rubric.js";

/** The guard's settings as a CLI flag set, a config file or an HTTP request gives them. */
export interface GuardSettings {
  policy?: GuardPolicy;
  rounds?: number;
  minCoverage?: number;
  judgeFormat?: JudgeFormat;
  /** The judge (and refiner) model. Opened only when it names a server or a model; otherwise the checks decide. */
  judge?: ModelSpec;
  screen?: SafetyScreen;
}

/** The guard's part of GuardOptions, with the judge model it opened. */
export type GuardParts = Pick<GuardOptions, "policy" | "rounds" | "minCoverage" | "judgeFormat" | "judge" | "screen">;

export interface OpenedGuard extends AsyncDisposable {
  options: GuardParts;
  /** Closes the judge model, if one was opened. */
  dispose(): Promise<void>;
}

/** Opens what a guarded run needs beyond the optimizer: the judge model when one is named. */
export async function openGuard(settings: GuardSettings): Promise<OpenedGuard> {
  const spec = settings.judge;
  const judge = spec && (spec.baseUrl || spec.model) ? await openModel(spec) : undefined;
  const dispose = async () => judge?.dispose();
  const { policy, rounds, minCoverage, judgeFormat, screen } = settings;
  return { options: { policy, rounds, minCoverage, judgeFormat, ...(screen ? { screen } : {}), ...(judge ? { judge } : {}) }, dispose, [Symbol.asyncDispose]: dispose };
}
