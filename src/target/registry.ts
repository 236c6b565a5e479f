import { readdirSync, readFileSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { InputError, UsageError } from "../errors.js";
import { targetProfileSchema } from "./profile-schema.js";
import type { TargetProfile } from "./types.js";

/** The profiles that ship with vpo, one JSON file per model. */
export const BUILTIN_TARGETS_DIR = fileURLToPath(new URL("../../data/targets/", import.meta.url));

const key = (name: string) => name.trim().toLowerCase();

function parseProfile(value: unknown, where: string): TargetProfile {
  const parsed = targetProfileSchema.safeParse(value);
  if (!parsed.success) throw new InputError(`not a target profile: ${z.prettifyError(parsed.error).replace(/\n/g, "; ")}`, where);
  return parsed.data;
}

/** Every shipped profile, validated. A broken shipped file is a packaging bug, so it throws. */
export function builtinTargets(dir = BUILTIN_TARGETS_DIR): TargetProfile[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => parseProfile(JSON.parse(readFileSync(join(dir, f), "utf8")), join(dir, f)));
}

/**
 * A user's own profiles: a JSON or YAML file holding one profile, a list of them, or `{ targets: [...] }`.
 */
export async function readTargetsFile(path: string): Promise<TargetProfile[]> {
  const text = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new InputError(`cannot read targets file: ${error.code === "ENOENT" ? "no such file" : error.message}`, path);
  });
  let value: unknown;
  try {
    value = /\.ya?ml$/i.test(path) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new InputError(`cannot parse targets file: ${(error as Error).message}`, path);
  }
  const list = Array.isArray(value) ? value : typeof value === "object" && value !== null && "targets" in value ? (value as { targets: unknown }).targets : [value];
  if (!Array.isArray(list) || list.length === 0) throw new InputError("a targets file holds a profile, a list of profiles or { targets: [...] }", path);
  return list.map((p, i) => parseProfile(p, list.length > 1 ? `${path} (profile ${i + 1})` : path));
}

export interface TargetRegistry {
  /** Every profile, shipped first, then the user's (a user profile with a shipped id replaces it). */
  list(): TargetProfile[];
  /** The profile named by id or alias (case-insensitive); a UsageError naming the known ones otherwise. */
  get(name: string): TargetProfile;
}

export function createTargetRegistry(profiles: readonly TargetProfile[]): TargetRegistry {
  const byId = new Map<string, TargetProfile>();
  for (const p of profiles) byId.set(p.id, p);
  const byName = new Map<string, TargetProfile>();
  for (const p of byId.values()) {
    for (const name of [p.id, ...p.aliases].map(key)) {
      const other = byName.get(name);
      if (other && other.id !== p.id) throw new InputError(`target name "${name}" is used by both "${other.id}" and "${p.id}"`);
      byName.set(name, p);
    }
  }
  return {
    list: () => [...byId.values()],
    get(name) {
      const found = byName.get(key(name));
      if (!found) throw new UsageError(`unknown target "${name}"; known targets: ${[...byId.keys()].join(", ")} (vpo targets lists them; --targets-file adds your own)`);
      return found;
    },
  };
}

/** The shipped profiles plus, when given, those of a --targets-file. */
export async function loadTargets(options: { targetsFile?: string } = {}): Promise<TargetRegistry> {
  const user = options.targetsFile ? await readTargetsFile(options.targetsFile) : [];
  return createTargetRegistry([...builtinTargets(), ...user]);
}
