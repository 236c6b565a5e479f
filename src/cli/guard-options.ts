import { Option, type Command } from "commander";
import { openModel } from "../model/open-model.js";
import type { TextModel } from "../model/types.js";
import type { OptimizeResult } from "../optimize/optimize.js";
import { GUARD_POLICIES, type GuardOptions, type GuardPolicy, type GuardedResult } from "../guard/guarded-optimize.js";
import type { Logger } from "../util/logger.js";
import { addModelOptions, modelSpecFrom, parseInteger, parseNumber } from "./options.js";

export interface GuardFlags {
  guard?: boolean;
  policy: GuardPolicy;
  rounds: number;
  minCoverage: number;
  judgeFormat: "json" | "text";
}

/** --guard and its settings, plus the --judge-* model flags. */
export function addGuardOptions(command: Command): Command {
  command
    .addOption(new Option("--guard", "check the prompt against the three principles (safety screen, intent check, judge when --judge-* is set), refine when needed, and report"))
    .addOption(new Option("--policy <policy>", "with --guard: sanitize (keep the safe intent), refuse (no prompt for unsafe queries) or pass-through (report only)").choices(GUARD_POLICIES).default("sanitize"))
    .addOption(new Option("--rounds <n>", "with --guard: refinement rounds").argParser(parseInteger(0)).default(2))
    .addOption(new Option("--min-coverage <share>", "with --guard: share of the query's elements a prompt must keep").argParser(parseNumber).default(0.6))
    .addOption(new Option("--judge-format <format>", "ask the judge for json (default) or labelled text").choices(["json", "text"]).default("json"));
  return addModelOptions(command, "judge");
}

export interface OpenedGuard {
  options: Omit<GuardOptions, keyof import("../optimize/optimize.js").OptimizeOptions>;
  dispose(): Promise<void>;
}

/** Opens the judge model when --judge-base-url or --judge-model is given. */
export async function openGuard(flags: GuardFlags, concurrency: number, logger: Logger): Promise<OpenedGuard> {
  const spec = modelSpecFrom(flags, "judge", { concurrency, logger });
  const judge: TextModel | undefined = spec.baseUrl || spec.model ? await openModel(spec) : undefined;
  return {
    options: { policy: flags.policy, rounds: flags.rounds, minCoverage: flags.minCoverage, judgeFormat: flags.judgeFormat, ...(judge ? { judge } : {}) },
    dispose: async () => judge?.dispose(),
  };
}

/** One stderr line saying what the guard did (nothing when it passed). */
export function logGuardOutcome(result: OptimizeResult, logger: Logger): void {
  const report = (result as GuardedResult).report;
  if (!report || report.status === "passed") return;
  const what = report.categories.length ? ` (${report.categories.join(", ")})` : "";
  if (report.status === "sanitized") logger.info(`sanitized${what}: ${report.changes.at(-1) ?? ""}`);
  else if (report.status === "fallback") logger.warn(`fallback: the prompt did not pass every check${report.missing.length ? `; missing: ${report.missing.slice(0, 6).join(", ")}` : ""} (${report.changes.at(-1) ?? ""})`);
}
