/**
 * A Hugging Face checkpoint folder: one `model.safetensors`, or shards listed in `model.safetensors.index.json`.
 * Tensors are read by row ranges so no tensor ever has to be in memory whole.
 */
import { existsSync, readdirSync } from "node:fs";
import { open, readFile, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { z } from "zod";
import { InputError } from "../errors.js";
import { readSafetensorsHeader, type SafetensorsEntry } from "./safetensors.js";

const indexSchema = z.object({ weight_map: z.record(z.string(), z.string()) });

export const SAFETENSORS_INDEX = "model.safetensors.index.json";

/** The safetensors files of a checkpoint folder, in a stable order. */
export async function checkpointFiles(dir: string): Promise<string[]> {
  const indexPath = join(dir, SAFETENSORS_INDEX);
  if (existsSync(indexPath)) {
    let json: unknown;
    try {
      json = JSON.parse(await readFile(indexPath, "utf8"));
    } catch (error) {
      throw new InputError(`not valid JSON (${(error as Error).message})`, indexPath);
    }
    const parsed = indexSchema.safeParse(json);
    if (!parsed.success) throw new InputError("has no weight_map object", indexPath);
    const shards = [...new Set(Object.values(parsed.data.weight_map))].sort();
    const missing = shards.filter((s) => !existsSync(join(dir, s)));
    if (missing.length) throw new InputError(`names shard(s) that are not in ${dir}: ${missing.join(", ")}`, indexPath);
    return shards.map((s) => join(dir, s));
  }
  if (!existsSync(dir)) throw new InputError(`checkpoint folder not found: ${dir}`);
  if (existsSync(join(dir, "model.safetensors"))) return [join(dir, "model.safetensors")];
  const found = readdirSync(dir).filter((f) => f.endsWith(".safetensors")).sort();
  if (found.length === 1) return [join(dir, found[0]!)];
  throw new InputError(
    found.length ? `${dir} holds ${found.length} .safetensors files but no ${SAFETENSORS_INDEX} saying which belong together` : `no .safetensors files in ${dir}`,
  );
}

export class Checkpoint {
  private readonly handles = new Map<string, Promise<FileHandle>>();

  private constructor(
    readonly dir: string,
    readonly files: string[],
    readonly tensors: Map<string, SafetensorsEntry>,
  ) {}

  static async open(dir: string): Promise<Checkpoint> {
    const files = await checkpointFiles(dir);
    const tensors = new Map<string, SafetensorsEntry>();
    for (const file of files) {
      for (const entry of (await readSafetensorsHeader(file)).entries) {
        const seen = tensors.get(entry.name);
        if (seen) throw new InputError(`tensor ${entry.name} is also in ${seen.file}`, file);
        tensors.set(entry.name, entry);
      }
    }
    return new Checkpoint(dir, files, tensors);
  }

  /** Total bytes of tensor data. */
  get byteLength(): number {
    let n = 0;
    for (const t of this.tensors.values()) n += t.byteLength;
    return n;
  }

  /** Reads `byteLength` bytes of a tensor starting `start` bytes into its data. */
  async read(entry: SafetensorsEntry, start: number, byteLength: number): Promise<Uint8Array> {
    let handle = this.handles.get(entry.file);
    if (!handle) {
      handle = open(entry.file, "r");
      this.handles.set(entry.file, handle);
    }
    const fd = await handle;
    const out = new Uint8Array(byteLength);
    let done = 0;
    while (done < byteLength) {
      const { bytesRead } = await fd.read(out, done, byteLength - done, entry.offset + start + done);
      if (bytesRead === 0) throw new InputError(`tensor ${entry.name}: unexpected end of file`, entry.file);
      done += bytesRead;
    }
    return out;
  }

  async close(): Promise<void> {
    const handles = [...this.handles.values()];
    this.handles.clear();
    for (const h of handles) await (await h).close();
  }
}
