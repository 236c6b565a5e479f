import { Option, type Command } from "commander";
import type { SafetySettings } from "../guard/open-safety.js";
import { CLASSIFIER_FORMATS, type ClassifierFormat, type ClassifierPromptStyle } from "../safety/classifier/types.js";
import { SAFETY_ACTIONS, type SafetyAction } from "../safety/policy/safety-policy.js";
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

/** The safety settings the --safety-* flags give (the library's openSafety opens them). */
export function safetySettingsFrom(flags: SafetyFlags, logger: Logger): SafetySettings {
  return {
    classifier: modelSpecFrom(flags, "safety", { logger }),
    ...(flags.safetyFormat ? { format: flags.safetyFormat } : {}),
    promptStyle: flags.safetyPrompt,
    ...(flags.controversial ? { controversial: flags.controversial } : {}),
    ...(flags.safetyPolicy ? { policyFile: flags.safetyPolicy } : {}),
    logger,
  };
}
