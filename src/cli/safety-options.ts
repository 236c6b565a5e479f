import { Option, type Command } from "commander";
import type { SafetyStageOptions } from "../guard/safety-stages.js";
import { openModel } from "../model/open-model.js";
import type { TextModel } from "../model/types.js";
import { resolveClassifierFormat } from "../safety/classifier/detect-format.js";
import { CLASSIFIER_FORMATS, type ClassifierFormat, type ClassifierPromptStyle } from "../safety/classifier/types.js";
import { SAFETY_ACTIONS, loadSafetyPolicy, type SafetyAction } from "../safety/policy/safety-policy.js";
import { policyScreen } from "../safety/policy/policy-screen.js";
import { screenSafety, type SafetyScreen } from "../safety/screen-safety.js";
import type { Logger } from "../util/logger.js";
import { addModelOptions, modelSpecFrom } from "./options.js";

export interface SafetyFlags {
  safetyFormat?: ClassifierFormat;
  safetyPrompt: ClassifierPromptStyle;
  controversial?: SafetyAction;
  safetyPolicy?: string;
}

/** --safety-model and the other --safety-* model flags, --safety-format, --safety-prompt, --controversial, --safety-policy. */
export function addSafetyOptions(command: Command): Command {
  command
    .addOption(new Option("--safety-format <format>", "with --guard: the --safety-model's reply format (default: from its name or chat template)").choices(CLASSIFIER_FORMATS))
    .addOption(
      new Option("--safety-prompt <style>", "instructions: vpo sends the model card's instructions; chat-template: the server's template adds them (vLLM, Ollama)")
        .choices(["instructions", "chat-template"])
        .default("instructions"),
    )
    .addOption(new Option("--controversial <action>", "with --guard: what a controversial verdict does (default: the policy file's, else sanitize)").choices(SAFETY_ACTIONS))
    .addOption(new Option("--safety-policy <file.yaml>", "with --guard: categories on/off, an action per category, allow- and block-terms"));
  return addModelOptions(command, "safety");
}

export interface OpenedSafety {
  safety: SafetyStageOptions;
  /** The screen with the policy applied, when a policy is given. */
  screen?: SafetyScreen;
  dispose(): Promise<void>;
}

/** Loads the policy and opens the classifier when --safety-base-url or --safety-model is given. */
export async function openSafety(flags: SafetyFlags & Record<string, unknown>, logger: Logger): Promise<OpenedSafety> {
  const policy = flags.safetyPolicy ? loadSafetyPolicy(flags.safetyPolicy) : undefined;
  const spec = modelSpecFrom(flags, "safety", { logger });
  let model: TextModel | undefined;
  try {
    model = spec.baseUrl || spec.model ? await openModel(spec) : undefined;
    const format = model ? await resolveClassifierFormat(model, flags.safetyFormat) : undefined;
    if (model) logger.debug("safety classifier", { model: model.info.id, format });
    return {
      safety: {
        ...(model && format ? { classifier: { model, format, style: flags.safetyPrompt } } : {}),
        ...(flags.controversial ? { controversial: flags.controversial } : {}),
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
