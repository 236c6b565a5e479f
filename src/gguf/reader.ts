import { open } from "node:fs/promises";
import {
  GGUF_DEFAULT_ALIGNMENT,
  GGUF_MAGIC,
  GgufValueType,
  type GgmlType,
  type GgufMetadata,
  type GgufScalar,
  type GgufTensorInfo,
  type GgufValue,
} from "./types.js";

export interface GgufFile {
  version: number;
  metadata: GgufMetadata;
  tensors: GgufTensorInfo[];
  /** Absolute file offset of the tensor data section. */
  dataOffset: number;
  alignment: number;
}

export class GgufFormatError extends Error {
  override name = "GgufFormatError";
}

/** Sequential little-endian reader over a buffer that is refilled from the file on demand. */
class Cursor {
  private buf = Buffer.alloc(0);
  private pos = 0;
  private fileOffset = 0;

  constructor(private readonly fd: import("node:fs/promises").FileHandle, private readonly path: string) {}

  get offset(): number {
    return this.fileOffset - (this.buf.length - this.pos);
  }

  private async need(n: number): Promise<void> {
    if (this.buf.length - this.pos >= n) return;
    const rest = this.buf.subarray(this.pos);
    const chunk = Buffer.alloc(Math.max(n - rest.length, 1 << 20));
    const { bytesRead } = await this.fd.read(chunk, 0, chunk.length, this.fileOffset);
    this.fileOffset += bytesRead;
    this.buf = Buffer.concat([rest, chunk.subarray(0, bytesRead)]);
    this.pos = 0;
    if (this.buf.length < n) throw new GgufFormatError(`${this.path}: unexpected end of file at byte ${this.offset}`);
  }

  async u32(): Promise<number> { await this.need(4); const v = this.buf.readUInt32LE(this.pos); this.pos += 4; return v; }
  async u64(): Promise<bigint> { await this.need(8); const v = this.buf.readBigUInt64LE(this.pos); this.pos += 8; return v; }
  async safeU64(what: string): Promise<number> {
    const v = await this.u64();
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new GgufFormatError(`${this.path}: ${what} ${v} is out of range`);
    return Number(v);
  }
  async string(): Promise<string> {
    const len = await this.safeU64("string length");
    await this.need(len);
    const s = this.buf.toString("utf8", this.pos, this.pos + len);
    this.pos += len;
    return s;
  }
  async scalar(type: GgufValueType): Promise<GgufScalar> {
    const b = () => this.buf;
    switch (type) {
      case GgufValueType.Uint8: await this.need(1); return b().readUInt8(this.pos++);
      case GgufValueType.Int8: await this.need(1); return b().readInt8(this.pos++);
      case GgufValueType.Bool: await this.need(1); return b().readUInt8(this.pos++) !== 0;
      case GgufValueType.Uint16: await this.need(2); this.pos += 2; return b().readUInt16LE(this.pos - 2);
      case GgufValueType.Int16: await this.need(2); this.pos += 2; return b().readInt16LE(this.pos - 2);
      case GgufValueType.Uint32: return this.u32();
      case GgufValueType.Int32: await this.need(4); this.pos += 4; return b().readInt32LE(this.pos - 4);
      case GgufValueType.Float32: await this.need(4); this.pos += 4; return b().readFloatLE(this.pos - 4);
      case GgufValueType.Uint64: return this.u64();
      case GgufValueType.Int64: await this.need(8); this.pos += 8; return b().readBigInt64LE(this.pos - 8);
      case GgufValueType.Float64: await this.need(8); this.pos += 8; return b().readDoubleLE(this.pos - 8);
      case GgufValueType.String: return this.string();
      default: throw new GgufFormatError(`${this.path}: unknown value type ${type} at byte ${this.offset}`);
    }
  }
}

/** Reads a GGUF file's header, metadata and tensor table (not the tensor data). */
export async function readGguf(path: string): Promise<GgufFile> {
  const fd = await open(path, "r");
  try {
    const c = new Cursor(fd, path);
    if ((await c.u32()) !== GGUF_MAGIC) throw new GgufFormatError(`${path}: not a GGUF file (bad magic)`);
    const version = await c.u32();
    if (version !== 2 && version !== 3) throw new GgufFormatError(`${path}: unsupported GGUF version ${version}`);
    const tensorCount = await c.safeU64("tensor count");
    const kvCount = await c.safeU64("metadata count");
    const metadata: GgufMetadata = new Map();
    for (let i = 0; i < kvCount; i++) {
      const key = await c.string();
      const type = (await c.u32()) as GgufValueType;
      let value: GgufValue;
      if (type === GgufValueType.Array) {
        const itemType = (await c.u32()) as Exclude<GgufValueType, GgufValueType.Array>;
        const n = await c.safeU64(`array length of ${key}`);
        const items: GgufScalar[] = new Array(n);
        for (let j = 0; j < n; j++) items[j] = await c.scalar(itemType);
        value = { type, itemType, value: items };
      } else {
        value = { type, value: await c.scalar(type) };
      }
      metadata.set(key, value);
    }
    const tensors: GgufTensorInfo[] = [];
    for (let i = 0; i < tensorCount; i++) {
      const name = await c.string();
      const nDims = await c.u32();
      const dims: number[] = [];
      for (let d = 0; d < nDims; d++) dims.push(await c.safeU64(`dimension of ${name}`));
      const type = (await c.u32()) as GgmlType;
      const offset = await c.safeU64(`offset of ${name}`);
      tensors.push({ name, dims, type, offset });
    }
    const alignValue = metadata.get("general.alignment");
    const alignment = alignValue && alignValue.type !== GgufValueType.Array ? Number(alignValue.value) : GGUF_DEFAULT_ALIGNMENT;
    const dataOffset = Math.ceil(c.offset / alignment) * alignment;
    return { version, metadata, tensors, dataOffset, alignment };
  } finally {
    await fd.close();
  }
}

/** A metadata value as a plain JS value, or undefined when absent. */
export function metadataValue(metadata: GgufMetadata, key: string): GgufScalar | GgufScalar[] | undefined {
  return metadata.get(key)?.value;
}
