import { accessSync, constants, statSync } from "node:fs";
import { delimiter, isAbsolute, join } from "node:path";

export type LocalEngine = "llamafactory" | "trl";

/**
 * The command each local engine is driven through, the arguments that make that same command print its Python
 * environment's versions, and how to install it. LLaMA-Factory ships no pip extras for these: its DeepSpeed range is
 * requirements/deepspeed.txt:1 (README.md:532) at ff6d4d12; TRL's `deepspeed` extra brings deepspeed>=0.18.6 and
 * transformers!=5.1.0 (trl-1.13.0 METADATA Requires-Dist).
 */
export const LOCAL_ENGINES: Record<LocalEngine, { executable: string; versionProbe: readonly string[]; install: string }> = {
  llamafactory: { executable: "llamafactory-cli", versionProbe: ["env"], install: 'pip install "llamafactory>=0.9.5" "deepspeed>=0.10.0,<=0.18.4"' },
  trl: { executable: "trl", versionProbe: ["env"], install: 'pip install "trl[deepspeed]>=0.29.0"' },
};

function isExecutable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The absolute path `name` resolves to on PATH (as a shell would find it), or undefined. */
export function findOnPath(name: string, path = process.env.PATH ?? ""): string | undefined {
  if (isAbsolute(name) || name.includes("/")) return isExecutable(name) ? name : undefined;
  for (const dir of path.split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}
