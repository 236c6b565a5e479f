import { stringify } from "yaml";
import { UsageError } from "../errors.js";
import type { Shot } from "../shots/shot.js";
import type { QueryFlags } from "./flags.js";
import type { OptimizeResult } from "./optimize.js";
import type { PromptLength } from "../target/fit-budget.js";

export type OutputFormat = "text" | "json" | "yaml";
export const OUTPUT_FORMATS: readonly OutputFormat[] = ["text", "json", "yaml"];


/** The flags a video tool reads as settings, typed. */
export type TypedFlags = Pick<QueryFlags, "aspectRatio" | "camera" | "motion" | "fps" | "seed" | "guidanceScale">;

/**
 * What a video pipeline needs from a result, and nothing else: `--format json|yaml` prints this, `vpo serve` adds
 * it as `spec`. Absent fields are left out, never null (the prompt is null only for a failed result).
 */
export interface PromptSpec {
  prompt: string | null;
  negativePrompt?: string;
  flags: TypedFlags;
  length?: PromptLength;
  language?: { detected: string; output: string };
  shots?: Shot[];
  status: "ok" | "failed";
  error?: string;
}

const TYPED: (keyof TypedFlags)[] = ["aspectRatio", "camera", "motion", "fps", "seed", "guidanceScale"];

export function checkOutputFormat(format: string | undefined): OutputFormat {
  const value = format ?? "text";
  if (!(OUTPUT_FORMATS as readonly string[]).includes(value)) throw new UsageError(`unknown format "${format}" (expected ${OUTPUT_FORMATS.join(", ")})`);
  return value as OutputFormat;
}

/** The spec of a result (a guarded or selected one too; `length` when a target's budget was applied). */
export function promptSpec(result: OptimizeResult): PromptSpec {
  const flags: TypedFlags = {};
  for (const key of TYPED) if (result.flags[key] !== undefined) Object.assign(flags, { [key]: result.flags[key] });
  return {
    prompt: result.prompt,
    ...(result.negativePrompt ? { negativePrompt: result.negativePrompt } : {}),
    flags,
    ...(result.length ? { length: result.length } : {}),
    ...(result.language ? { language: { detected: result.language.detected, output: result.language.output } } : {}),
    ...(result.shots ? { shots: result.shots } : {}),
    status: result.status,
    ...(result.error ? { error: result.error.message } : {}),
  };
}

/**
 * A result as text for a terminal or a file: `text` is the prompt, then "Negative prompt: …" on its own line (the
 * A1111 convention video UIs paste); `json` and `yaml` are the PromptSpec.
 */
export function formatResult(result: OptimizeResult, format: OutputFormat): string {
  return formatSpec(promptSpec(result), format);
}

/** One spec as `format` (see formatResult). */
export function formatSpec(spec: PromptSpec, format: OutputFormat): string {
  if (format === "json") return `${JSON.stringify(spec, null, 2)}\n`;
  if (format === "yaml") return stringify(spec, { lineWidth: 0 });
  if (spec.prompt === null) return "";
  return `${spec.prompt}\n${spec.negativePrompt ? `Negative prompt: ${spec.negativePrompt}\n` : ""}`;
}
