import { Option, type Command } from "commander";
import { UsageError } from "../errors.js";
import { openTarget, type TargetSettings } from "../target/target-settings.js";
import { parseInteger } from "./options.js";

export interface TargetFlags {
  target?: string;
  targetsFile?: string;
  targetTokenizer?: string;
  targetBudget?: number;
}

/** --target and its settings, shared by every command that makes prompts. */
export function addTargetOptions(command: Command): Command {
  return command
    .addOption(new Option("--target <name>", "the video model the prompt is for (vpo targets lists them): its token budget, -ar/-fps values and length/style guide"))
    .addOption(new Option("--targets-file <file>", "your own target profiles (JSON or YAML: one, a list, or { targets: [...] })"))
    .addOption(new Option("--target-tokenizer <path>", "with --target: the text encoder's tokenizer (tokenizer.json, SentencePiece .model, or its folder) for exact token counts; default: an estimate with a tested upper bound"))
    .addOption(new Option("--target-budget <tokens>", "with --target: prompt token budget (default: the text encoder's limit)").argParser(parseInteger(1)));
}

/** The target the flags name, opened (profile, token counter, budget); undefined without --target. */
export async function targetFrom(flags: TargetFlags): Promise<TargetSettings | undefined> {
  if (!flags.target) {
    if (flags.targetTokenizer || flags.targetBudget !== undefined) throw new UsageError("--target-tokenizer and --target-budget need --target NAME");
    return undefined;
  }
  return openTarget({ target: flags.target, targetsFile: flags.targetsFile, tokenizer: flags.targetTokenizer, budget: flags.targetBudget });
}
