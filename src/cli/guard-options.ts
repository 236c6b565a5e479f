import { Option, type Command } from "commander";
import type { OptimizeResult } from "../optimize/optimize.js";
import { GUARD_POLICIES, type GuardPolicy, type GuardedResult } from "../guard/guarded-optimize.js";
import type { GuardSettings } from "../guard/open-guard.js";
import type { Logger } from "../util/logger.js";
import { addModelOptions, modelSpecFrom, parseInteger, parseNumber } from "./options.js";
import { addSafetyOptions, safetySettingsFrom, type SafetyFlags } from "./safety-options.js";

export interface GuardFlags extends SafetyFlags {
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
  return addSafetyOptions(addModelOptions(command, "judge"));
}

/** The guard settings the --guard and --judge-* flags give (the library's openGuard opens them). */
export function guardSettingsFrom(flags: GuardFlags, concurrency: number, logger: Logger): GuardSettings {
  return { policy: flags.policy, rounds: flags.rounds, minCoverage: flags.minCoverage, judgeFormat: flags.judgeFormat, judge: modelSpecFrom(flags, "judge", { concurrency, logger }), safety: safetySettingsFrom(flags, logger) };
}

/** One stderr line saying what the guard did (nothing when it passed). */
export function logGuardOutcome(result: OptimizeResult, logger: Logger): void {
  const report = (result as GuardedResult).report;
  if (!report || report.status === "passed") return;
  const what = report.categories.length ? ` (${report.categories.join(", ")})` : "";
  if (report.status === "sanitized") logger.info(`sanitized${what}: ${report.changes.at(-1) ?? ""}`);
  else if (report.status === "fallback") logger.warn(`fallback: the prompt did not pass every check${report.missing.length ? `; missing: ${report.missing.slice(0, 6).join(", ")}` : ""} (${report.changes.at(-1) ?? ""})`);
}
