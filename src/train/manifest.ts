import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { z } from "zod";
import { InputError } from "../errors.js";

export const MANIFEST_FILE = "vpo-export.json";

const stageSchema = z.looseObject({
  rows: z.number(),
  steps: z.number(),
  /** The recipe's target; `actualBatch` is what the split gives. */
  effectiveBatch: z.number(),
  actualBatch: z.number(),
  perDevice: z.number(),
  accumulation: z.number(),
  gpusPerNode: z.number(),
  nodes: z.number(),
  maxPerDeviceBatch: z.number(),
});

/** `vpo-export.json`, written at the root of an export: what was exported and how each stage's batch was split. */
export const manifestSchema = z.looseObject({
  format: z.literal("vpo-train-export/1"),
  createdAt: z.string(),
  stages: z.object({ sft: stageSchema.optional(), dpo: stageSchema.optional() }),
});
export type ExportManifest = z.infer<typeof manifestSchema>;
export type ManifestStage = z.infer<typeof stageSchema>;

/** The manifest of the export a config file belongs to (in the config's folder or the one above), if any. */
export async function findManifest(configPath: string): Promise<ExportManifest | undefined> {
  const dir = dirname(configPath);
  for (const candidate of [join(dir, MANIFEST_FILE), join(dir, "..", MANIFEST_FILE)]) {
    if (!existsSync(candidate)) continue;
    const parsed = manifestSchema.safeParse(JSON.parse(await readFile(candidate, "utf8").catch(() => "null")));
    if (!parsed.success) throw new InputError("not a vpo export manifest", candidate);
    return parsed.data;
  }
  return undefined;
}
