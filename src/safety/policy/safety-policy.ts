import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { InputError } from "../../errors.js";

export type SafetyAction = "pass" | "sanitize" | "refuse";
export const SAFETY_ACTIONS: SafetyAction[] = ["pass", "sanitize", "refuse"];

const action = z.enum(["sanitize", "refuse"]);
const categorySetting = z.union([
  z.literal("off"),
  action,
  z.object({ enabled: z.boolean().default(true), action: action.optional() }).strict(),
]);

/** The `--safety-policy FILE.yaml` format. Terms use the lexicon's pattern syntax (words, `stem*`, `(a|b)`). */
export const safetyPolicyFileSchema = z
  .object({
    /** A label for people; the report identifies the policy by its content hash, not by this. */
    name: z.string().optional(),
    /** What a `controversial` verdict does (the --controversial flag overrides it). */
    controversial: z.enum(SAFETY_ACTIONS).optional(),
    /** Per category: off (not checked), sanitize or refuse; categories not listed follow --policy. */
    categories: z.record(z.string(), categorySetting).default({}),
    /** Phrases a studio's domain needs: screen matches inside them do not count. */
    allow: z.array(z.string().min(1)).default([]),
    /** Phrases that are unsafe here: a bare string is category "blocked". */
    block: z.array(z.union([z.string().min(1), z.object({ term: z.string().min(1), category: z.string().min(1) }).strict()])).default([]),
  })
  .strict();

export interface SafetyPolicy {
  /** The file it came from, for messages. */
  source: string;
  /** `sha256:` + the first 16 hex digits of the file's bytes: the version every report and record carries. */
  hash: string;
  name?: string;
  controversial?: SafetyAction;
  off: Set<string>;
  actions: Map<string, "sanitize" | "refuse">;
  allow: string[];
  block: { term: string; category: string }[];
}

export function policyHash(bytes: string | Buffer): string {
  return `sha256:${createHash("sha256").update(bytes).digest("hex").slice(0, 16)}`;
}

/** Validates a parsed policy document; `text` is hashed for the version. */
export function compileSafetyPolicy(data: unknown, text: string, source = "safety policy"): SafetyPolicy {
  const parsed = safetyPolicyFileSchema.safeParse(data ?? {});
  if (!parsed.success) throw new InputError(`invalid safety policy: ${z.prettifyError(parsed.error).replace(/\n/g, "; ")}`, source);
  const file = parsed.data;
  const off = new Set<string>();
  const actions = new Map<string, "sanitize" | "refuse">();
  for (const [category, setting] of Object.entries(file.categories)) {
    if (setting === "off") off.add(category);
    else if (typeof setting === "string") actions.set(category, setting);
    else {
      if (!setting.enabled) off.add(category);
      if (setting.action) actions.set(category, setting.action);
    }
  }
  return {
    source,
    hash: policyHash(text),
    ...(file.name ? { name: file.name } : {}),
    ...(file.controversial ? { controversial: file.controversial } : {}),
    off,
    actions,
    allow: file.allow,
    block: file.block.map((b) => (typeof b === "string" ? { term: b, category: "blocked" } : b)),
  };
}

export function loadSafetyPolicy(path: string): SafetyPolicy {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    throw new InputError((error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message, path);
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (error) {
    throw new InputError(`not valid YAML: ${(error as Error).message.split("\n")[0]}`, path);
  }
  return compileSafetyPolicy(data, text, path);
}
