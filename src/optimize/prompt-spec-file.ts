import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { stringify } from "yaml";
import { z } from "zod";
import { InputError } from "../errors.js";
import { shotSchema } from "../shots/shot.js";
import { writeFileAtomic } from "../util/files.js";
import { formatSpec, type OutputFormat, type PromptSpec } from "./prompt-spec.js";

/** The fields of a batch record a spec is made of; the rest of the record (provenance, usage) is not read. */
const recordSchema = z.looseObject({
  index: z.number().int().min(0),
  id: z.union([z.string(), z.number()]).optional(),
  status: z.enum(["ok", "failed"]),
  prompt: z.string().nullable().optional(),
  negativePrompt: z.string().optional(),
  flags: z
    .looseObject({ aspectRatio: z.string().optional(), camera: z.string().optional(), motion: z.number().optional(), fps: z.number().optional(), seed: z.number().optional(), guidanceScale: z.number().optional() })
    .optional(),
  length: z.object({ tokens: z.number(), budget: z.number(), counted: z.enum(["exact", "estimate"]) }).optional(),
  language: z.looseObject({ detected: z.string(), output: z.string() }).optional(),
  shots: z.array(shotSchema).optional(),
  error: z.looseObject({ message: z.string() }).optional(),
});

/** One item of a batch's spec file: where it came from in the input, then its spec. */
export type BatchSpec = { index: number; id?: string | number } & PromptSpec;

function specOf(record: z.infer<typeof recordSchema>): BatchSpec {
  const f = record.flags ?? {};
  const flags = Object.fromEntries(Object.entries({ aspectRatio: f.aspectRatio, camera: f.camera, motion: f.motion, fps: f.fps, seed: f.seed, guidanceScale: f.guidanceScale }).filter(([, v]) => v !== undefined));
  return {
    index: record.index,
    ...(record.id !== undefined ? { id: record.id } : {}),
    prompt: record.prompt ?? null,
    ...(record.negativePrompt ? { negativePrompt: record.negativePrompt } : {}),
    flags,
    ...(record.length ? { length: record.length } : {}),
    ...(record.language ? { language: { detected: record.language.detected, output: record.language.output } } : {}),
    ...(record.shots ? { shots: record.shots } : {}),
    status: record.status,
    ...(record.error ? { error: record.error.message } : {}),
  };
}

/** The specs of a batch results file, in input order (the last record of an index wins, as on resume). */
export async function readBatchSpecs(resultsPath: string): Promise<BatchSpec[]> {
  const byIndex = new Map<number, BatchSpec>();
  let lineNo = 0;
  for await (const line of createInterface({ input: createReadStream(resultsPath, { encoding: "utf8" }), crlfDelay: Infinity })) {
    lineNo++;
    if (!line.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      throw new InputError("not a JSON line", resultsPath, lineNo);
    }
    const record = recordSchema.safeParse(value);
    if (!record.success) throw new InputError(`not an optimize record (${record.error.issues[0]?.path.join(".")}: ${record.error.issues[0]?.message})`, resultsPath, lineNo);
    byIndex.set(record.data.index, specOf(record.data));
  }
  return [...byIndex.values()].sort((a, b) => a.index - b.index);
}

/**
 * `vpo optimize --input … --output OUT.jsonl --format json|yaml|text`: the batch's specs written beside the
 * resumable results file (which stays the record of the run), atomically, from the whole file so a resumed run's
 * earlier items are in it too. json: an array; yaml: a sequence; text: each item's prompt (and negative prompt),
 * items separated by a blank line.
 */
export async function writeBatchSpecs(resultsPath: string, outPath: string, format: OutputFormat): Promise<number> {
  const specs = await readBatchSpecs(resultsPath);
  const text =
    format === "json" ? `${JSON.stringify(specs, null, 2)}\n` : format === "yaml" ? stringify(specs, { lineWidth: 0 }) : specs.map((s) => formatSpec(s, "text")).filter(Boolean).join("\n");
  await writeFileAtomic(outPath, text);
  return specs.length;
}

/** Where the spec file of a batch goes: OUT.jsonl → OUT.prompts.json / .yaml / .txt. */
export function batchSpecPath(resultsPath: string, format: OutputFormat): string {
  return `${resultsPath.replace(/\.jsonl?$/i, "")}.prompts.${format === "text" ? "txt" : format}`;
}
