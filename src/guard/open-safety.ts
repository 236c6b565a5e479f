import { openModel, type ModelSpec } from "../model/open-model.js";
import type { TextModel } from "../model/types.js";
import { resolveClassifierFormat } from "../safety/classifier/detect-format.js";
import type { ClassifierFormat, ClassifierPromptStyle } from "../safety/classifier/types.js";
import { loadSafetyPolicy, type SafetyAction } from "../safety/policy/safety-policy.js";
import { policyScreen } from "../safety/policy/policy-screen.js";
import { screenSafety, type SafetyScreen } from "../safety/screen-safety.js";
import type { Logger } from "../util/logger.js";
import type { SafetyStageOptions } from "./safety-stages.js";

/** The safety stages' settings as flags, a config file or an HTTP server give them. */
export interface SafetySettings {
  /** The safety classifier (Qwen3Guard, Llama Guard 3, ShieldGemma); opened only when it names a server or a model. */
  classifier?: ModelSpec;
  /** Its reply format; detected from the model name or chat template when unset. */
  format?: ClassifierFormat;
  promptStyle?: ClassifierPromptStyle;
  /** What a controversial verdict does (default: the policy file's, else sanitize). */
  controversial?: SafetyAction;
  /** A YAML policy file: categories on/off, an action per category, allow- and block-terms. */
  policyFile?: string;
  logger?: Logger;
}

export interface OpenedSafety {
  safety: SafetyStageOptions;
  /** The screen with the policy applied, when a policy is given. */
  screen?: SafetyScreen;
  dispose(): Promise<void>;
}

/** Loads the policy file and opens the classifier model when one is named. */
export async function openSafety(settings: SafetySettings): Promise<OpenedSafety> {
  const policy = settings.policyFile ? loadSafetyPolicy(settings.policyFile) : undefined;
  const spec = settings.classifier;
  let model: TextModel | undefined;
  try {
    model = spec && (spec.baseUrl || spec.model) ? await openModel(spec) : undefined;
    const format = model ? await resolveClassifierFormat(model, settings.format) : undefined;
    if (model) settings.logger?.debug("safety classifier", { model: model.info.id, format });
    return {
      safety: {
        ...(model && format ? { classifier: { model, format, style: settings.promptStyle ?? "instructions" } } : {}),
        ...(settings.controversial ? { controversial: settings.controversial } : {}),
        ...(policy ? { policy } : {}),
      },
      ...(policy ? { screen: policyScreen(policy, screenSafety) } : {}),
      dispose: async () => model?.dispose(),
    };
  } catch (error) {
    await model?.dispose();
    throw error;
  }
}
