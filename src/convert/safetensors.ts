/**
 * safetensors files: an 8-byte little-endian header length, a JSON header naming each tensor's dtype, shape and byte
 * range, then the raw data. Only the header is read up front; tensor bytes are read on demand.
 */
import { open } from "node:fs/promises";
import { z } from "zod";
import { InputError } from "../errors.js";

export interface SafetensorsEntry {
  name: string;
  dtype: string;
  shape: number[];
  /** Absolute byte offset of the tensor's data in the file. */
  offset: number;
  byteLength: number;
  file: string;
}

const entrySchema = z.object({
  dtype: z.string(),
  shape: z.array(z.number().int().nonnegative()),
  data_offsets: z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]),
});

const DTYPE_BYTES: Record<string, number> = { F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1, F8_E4M3: 1, F8_E5M2: 1 };

/** Header cap: real headers are a few hundred KB; a bigger length means a corrupt or foreign file. */
const MAX_HEADER_BYTES = 100 << 20;

export async function readSafetensorsHeader(file: string): Promise<{ entries: SafetensorsEntry[]; metadata: Record<string, string> }> {
  const fd = await open(file, "r").catch((error: NodeJS.ErrnoException) => {
    throw new InputError(`cannot open: ${error.code ?? error.message}`, file);
  });
  try {
    const { size } = await fd.stat();
    const lengthBytes = Buffer.alloc(8);
    await fd.read(lengthBytes, 0, 8, 0);
    const headerLength = Number(lengthBytes.readBigUInt64LE(0));
    if (size < 8 || headerLength > MAX_HEADER_BYTES || 8 + headerLength > size) {
      throw new InputError(`not a safetensors file (header length ${headerLength}, file size ${size})`, file);
    }
    const header = Buffer.alloc(headerLength);
    await fd.read(header, 0, headerLength, 8);
    let json: unknown;
    try {
      json = JSON.parse(header.toString("utf8"));
    } catch {
      throw new InputError("safetensors header is not valid JSON", file);
    }
    if (typeof json !== "object" || json === null || Array.isArray(json)) throw new InputError("safetensors header is not a JSON object", file);
    const dataStart = 8 + headerLength;
    const entries: SafetensorsEntry[] = [];
    let metadata: Record<string, string> = {};
    for (const [name, raw] of Object.entries(json)) {
      if (name === "__metadata__") {
        metadata = z.record(z.string(), z.string()).catch({}).parse(raw);
        continue;
      }
      const parsed = entrySchema.safeParse(raw);
      if (!parsed.success) throw new InputError(`tensor ${name}: malformed header entry`, file);
      const { dtype, shape, data_offsets: [start, end] } = parsed.data;
      const count = shape.reduce((a, b) => a * b, 1);
      const elementBytes = DTYPE_BYTES[dtype];
      if (elementBytes !== undefined && count * elementBytes !== end - start) {
        throw new InputError(`tensor ${name}: ${dtype} ${JSON.stringify(shape)} needs ${count * elementBytes} bytes, header says ${end - start}`, file);
      }
      if (end < start || dataStart + end > size) {
        throw new InputError(`tensor ${name}: data [${start}, ${end}) runs past the end of the file (truncated download?)`, file);
      }
      entries.push({ name, dtype, shape, offset: dataStart + start, byteLength: end - start, file });
    }
    return { entries, metadata };
  } finally {
    await fd.close();
  }
}
