import { existsSync, readdirSync, realpathSync, statSync } from "node:fs";
import { join, sep } from "node:path";
import { ServiceError, UsageError } from "../errors.js";
import { STORE_FILE } from "../store/run-store.js";

/** A run's name is one folder name under the root: no separators, no leading dot (so never "." or ".."). */
const RUN_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;

export const isRunName = (name: string): boolean => RUN_NAME.test(name);

/**
 * The pipeline run directories under one root folder (`vpo serve --runs DIR`): each sub-folder holding a run.sqlite
 * is a run, named by its folder. Resolving a name never leaves the root, symbolic links included.
 */
export class RunLibrary {
  readonly root: string;

  constructor(root: string) {
    if (!existsSync(root) || !statSync(root).isDirectory()) throw new UsageError(`--runs ${root}: no such directory`);
    this.root = realpathSync(root);
  }

  /** Names of the runs under the root, sorted. */
  names(): string[] {
    return readdirSync(this.root, { withFileTypes: true })
      .filter((entry) => (entry.isDirectory() || entry.isSymbolicLink()) && isRunName(entry.name))
      .map((entry) => entry.name)
      .filter((name) => this.tryResolve(name) !== undefined)
      .sort();
  }

  /** The directory of run `name`; a 404 for a bad or unknown name (the same answer, so names cannot be probed). */
  dir(name: string): string {
    const dir = this.tryResolve(name);
    if (!dir) throw new ServiceError("not-found", `no run named "${name.slice(0, 128)}"`);
    return dir;
  }

  private tryResolve(name: string): string | undefined {
    if (!isRunName(name)) return undefined;
    const path = join(this.root, name);
    if (!existsSync(join(path, STORE_FILE))) return undefined;
    const real = realpathSync(path);
    return real.startsWith(this.root + sep) ? real : undefined;
  }
}
