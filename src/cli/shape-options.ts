import { InvalidArgumentError, Option, type Command } from "commander";
import { OUTPUT_FORMATS, type OutputFormat } from "../optimize/prompt-spec.js";
import type { PromptShapeOptions } from "../optimize/shape-options.js";
import { checkLanguageOption } from "../optimize/output-language.js";
import { DEFAULT_SHOT_SYNTAX } from "../shots/join-shots.js";
import { parseKeepList } from "../terms/protected-terms.js";
import { parseInteger } from "./options.js";

export interface ShapeFlags {
  keep?: string[];
  protect: boolean;
  lang: string;
  negatives: "compose" | "generate";
  format?: OutputFormat;
  shots?: number;
  shotSyntax?: string;
}

const keepList = (raw: string, previous: string[] | undefined) => [...(previous ?? []), ...parseKeepList(raw)];

function languageFlag(raw: string): string {
  try {
    return checkLanguageOption(raw);
  } catch (error) {
    throw new InvalidArgumentError(error instanceof Error ? error.message : String(error));
  }
}

/** --keep, --no-protect, --lang, --negatives, --format, --shots and --shot-syntax. */
export function addShapeOptions(command: Command): Command {
  return command
    .addOption(new Option("--keep <terms>", "terms the prompt must hold verbatim, comma-separated (quote a term holding a comma); repeatable").argParser(keepList))
    .addOption(new Option("--no-protect", "do not protect quoted text, on-screen text, LoRA / embedding triggers and weighted tags automatically"))
    .addOption(new Option("--lang <lang>", "prompt language: en, zh, another ISO 639-1 code, same (the query's) or auto (the target's primary language, else en)").argParser(languageFlag).default("auto"))
    .addOption(new Option("--negatives <mode>", "negative prompt: compose (-neg terms + the target's default) or generate (also scene-specific terms from the model)").choices(["compose", "generate"]).default("compose"))
    .addOption(new Option("--format <format>", "print the prompt spec (prompt, negative prompt, typed flags, length, language) as text, json or yaml; in batch mode also write OUT.prompts.<ext>").choices([...OUTPUT_FORMATS]))
    .addOption(new Option("--shots <n>", "plan the prompt as N shots (duration, camera, action each), joined in the target's multi-shot syntax").argParser(parseInteger(2)))
    .addOption(new Option("--shot-syntax <template>", `per-shot template with {index} {start} {end} {duration} {camera} {description} {action} (default "${DEFAULT_SHOT_SYNTAX}")`));
}

/** The library's shaping options from those flags. */
export function shapeOptionsFrom(flags: ShapeFlags): PromptShapeOptions {
  return {
    ...(flags.keep?.length ? { keep: flags.keep } : {}),
    protectTerms: flags.protect,
    lang: flags.lang,
    negatives: flags.negatives,
    ...(flags.shots !== undefined ? { shots: flags.shots } : {}),
    ...(flags.shotSyntax !== undefined ? { shotSyntax: flags.shotSyntax } : {}),
  };
}
