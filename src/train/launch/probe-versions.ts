import { execFile } from "node:child_process";
import { EngineNotInstalledError } from "../../errors.js";
import { EngineVersionError } from "./engine-version-error.js";
import { findOnPath, LOCAL_ENGINES, type LocalEngine } from "./engines.js";

export type PythonPackage = "trl" | "transformers" | "accelerate" | "deepspeed" | "llamafactory" | "torch";

/** What the engine's environment report said: a version, null for "not installed", absent when not reported. */
export interface InstalledVersions {
  versions: Partial<Record<PythonPackage, string | null>>;
  /** The command that answered, e.g. "trl env". */
  probe: string;
}

/**
 * The labels of `trl env` (trl/scripts/env.py:58-74 at TRL f2cd5771 and in the 1.13.0 wheel) and of
 * `llamafactory-cli env` (src/llamafactory/extras/env.py:36-72 at LLaMA-Factory ff6d4d12): "- <Name> version: <v>".
 */
const LABELS: Record<string, PythonPackage> = {
  trl: "trl",
  transformers: "transformers",
  accelerate: "accelerate",
  deepspeed: "deepspeed",
  llamafactory: "llamafactory",
  pytorch: "torch",
};

/** Reads "- TRL version: 1.13.0+abc1234" style lines; the first word of the value is the version. */
export function parseEnvReport(output: string): InstalledVersions["versions"] {
  const versions: InstalledVersions["versions"] = {};
  for (const line of output.split(/\r?\n/)) {
    const m = /^\s*-\s*`?([\w-]+)`?\s+version:\s*(.+?)\s*$/i.exec(line);
    const name = m && LABELS[m[1]!.toLowerCase()];
    if (!name) continue;
    versions[name] = /^not installed$/i.test(m[2]!) ? null : m[2]!.split(/\s+/)[0]!;
  }
  return versions;
}

/**
 * Asks the engine's own CLI, found on PATH exactly as the launch finds it, which versions its Python environment holds
 * (`trl env`, `llamafactory-cli env`). Both import torch first, hence the generous timeout.
 */
export async function probeEngineVersions(engine: LocalEngine, timeoutMs = 180_000): Promise<InstalledVersions> {
  const { executable, install, versionProbe } = LOCAL_ENGINES[engine];
  const path = findOnPath(executable);
  if (!path) throw new EngineNotInstalledError(executable, install);
  const probe = [executable, ...versionProbe].join(" ");
  const output = await new Promise<string>((resolve, reject) => {
    execFile(path, versionProbe, { timeout: timeoutMs, maxBuffer: 4 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) return resolve(`${stdout}\n${stderr}`);
      const tail = `${stdout}\n${stderr}`.trim().split("\n").slice(-3).join(" | ");
      const why = error.killed ? `did not answer within ${Math.round(timeoutMs / 1000)} s` : `exited with code ${error.code ?? "?"}`;
      reject(new EngineVersionError(`could not read the installed versions: \`${probe}\` ${why}${tail ? `: ${tail}` : ""}`));
    });
  });
  return { versions: parseEnvReport(output), probe };
}
