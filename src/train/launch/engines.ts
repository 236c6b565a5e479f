import { accessSync, constants, statSync } from "node:fs";
import { delimiter, isAbsolute, join } from "node:path";

export type LocalEngine = "llamafactory" | "trl";

/** The command each local engine is driven through, and how to install it. */
export const LOCAL_ENGINES: Record<LocalEngine, { executable: string; install: string }> = {
  llamafactory: { executable: "llamafactory-cli", install: "pip install llamafactory[torch,metrics,deepspeed]" },
  trl: { executable: "trl", install: "pip install trl deepspeed" },
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
