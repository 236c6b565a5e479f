import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { isAbsolute, join } from "node:path";
import { parse } from "yaml";
import { EngineVersionError } from "./engine-version-error.js";
import { readConfig, type LaunchCommand } from "./local-command.js";
import { probeEngineVersions, type InstalledVersions } from "./probe-versions.js";
import { compareVersions, parsePythonVersion, satisfies } from "./python-version.js";
import { FRACTIONAL_WARMUP_STEPS, requirementsFor, type LaunchSettings, type Requirement } from "./version-requirements.js";

export interface VersionCheck {
  installed: InstalledVersions;
  /** Engine arguments the installed versions need on top of the config (LLaMA-Factory `k=v`, TRL `--k v`). */
  args: string[];
  notes: string[];
}

async function usesDeepSpeed(command: LaunchCommand, config: Record<string, unknown>): Promise<boolean> {
  if (command.engine === "llamafactory") return typeof config.deepspeed === "string" && config.deepspeed !== "";
  const at = command.args.indexOf("--accelerate_config");
  const name = at >= 0 ? command.args[at + 1] : undefined;
  if (!name) return false;
  const file = isAbsolute(name) ? name : join(command.cwd, name);
  // Not a file: one of TRL's own configs by name (trl/cli/accelerate_config.py:34-43 at f2cd5771), zero1-3 are DeepSpeed.
  if (!existsSync(file)) return /^zero\d$/.test(name);
  const accelerate = parse(await readFile(file, "utf8")) as Record<string, unknown> | null;
  return accelerate?.distributed_type === "DEEPSPEED";
}

function problem(requirement: Requirement, found: string | null | undefined, probe: string): string | undefined {
  const label = requirement.needed ? `${requirement.package}${requirement.needed}` : requirement.package;
  if (!found) return `${requirement.package} is not installed (per \`${probe}\`), and ${label} is needed: ${requirement.why}. Fix: ${requirement.install}`;
  if (!requirement.needed) return undefined;
  const version = parsePythonVersion(found);
  if (version && satisfies(version, requirement.needed)) return undefined;
  return `${requirement.package} ${found} is installed, and ${label} is needed: ${requirement.why}. Fix: ${requirement.install}`;
}

/**
 * The export writes TRL's warmup as a fraction in `warmup_steps` (transformers >= 5.0). Older transformers declare
 * `warmup_steps: int` (training_args.py:942 at 4.57.6) and would warm up for 0.1 steps, so the fraction moves back to
 * `warmup_ratio` (training_args.py:939 there) on the command line, which overrides the config in both engines.
 */
function warmupOverride(command: LaunchCommand, config: Record<string, unknown>, transformers: string | null | undefined): { args: string[]; note?: string } {
  const steps = config.warmup_steps;
  const version = transformers ? parsePythonVersion(transformers) : undefined;
  if (typeof steps !== "number" || steps <= 0 || steps >= 1 || !version) return { args: [] };
  if (compareVersions(version, parsePythonVersion(FRACTIONAL_WARMUP_STEPS)!) >= 0) return { args: [] };
  const args = command.engine === "trl" ? ["--warmup_ratio", String(steps), "--warmup_steps", "0"] : [`warmup_ratio=${steps}`, "warmup_steps=0"];
  return { args, note: `transformers ${transformers} reads warmup_steps as a step count (a fraction only from ${FRACTIONAL_WARMUP_STEPS}): passing warmup_ratio ${steps} instead` };
}

/**
 * Reads the engine's installed versions through its own CLI and holds them against what the config needs
 * (version-requirements.ts). Resolves with the extra arguments that adapt the config to those versions; throws
 * EngineVersionError naming every version found, the version needed and the pip command when the launch cannot work.
 */
export async function checkEngineVersions(command: LaunchCommand, probe: () => Promise<InstalledVersions> = () => probeEngineVersions(command.engine)): Promise<VersionCheck> {
  const config = await readConfig(command.config);
  const settings: LaunchSettings = { engine: command.engine, stage: command.stage, deepspeed: await usesDeepSpeed(command, config), warmupRatio: config.warmup_ratio !== undefined };
  const installed = await probe();
  const problems = requirementsFor(settings, installed.versions).flatMap((r) => {
    const found = installed.versions[r.package];
    const text = problem(r, found, installed.probe);
    return text ? [{ text, problem: { package: r.package, found: found ?? null, needed: r.needed ?? "installed", install: r.install } }] : [];
  });
  if (problems.length) throw new EngineVersionError(`nothing was started: ${problems.map((p) => p.text).join("; ")}`, problems.map((p) => p.problem));
  const warmup = warmupOverride(command, config, installed.versions.transformers);
  const found = Object.entries(installed.versions).map(([name, version]) => `${name} ${version ?? "not installed"}`);
  return { installed, args: warmup.args, notes: [`${installed.probe}: ${found.join(", ")}`, ...(warmup.note ? [warmup.note] : [])] };
}
