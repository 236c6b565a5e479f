import { open } from "node:fs/promises";
import {
  GGUF_DEFAULT_ALIGNMENT,
  GGUF_MAGIC,
  GgufValueType,
  tensorByteLength,
  type GgmlType,
  type GgufMetadata,
  type GgufScalar,
} from "./types.js";

/**
 * A tensor to write; `data` is called once, in file order, so a caller can produce tensors one at a time. It returns
 * the whole tensor or an async sequence of chunks (which keeps memory at one chunk even for a huge tensor).
 */
export interface GgufTensorSource {
  name: string;
  dims: number[];
  type: GgmlType;
  data: () => Promise<Uint8Array> | Uint8Array | AsyncIterable<Uint8Array>;
}

/** Growable little-endian byte buffer for the header section. */
class ByteSink {
  private buf = Buffer.alloc(1 << 16);
  length = 0;
  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    const next = Buffer.alloc(Math.max(this.buf.length * 2, this.length + n));
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }
  u32(v: number): void { this.ensure(4); this.buf.writeUInt32LE(v, this.length); this.length += 4; }
  u64(v: number | bigint): void { this.ensure(8); this.buf.writeBigUInt64LE(BigInt(v), this.length); this.length += 8; }
  string(s: string): void {
    const bytes = Buffer.from(s, "utf8");
    this.u64(bytes.length);
    this.ensure(bytes.length);
    bytes.copy(this.buf, this.length);
    this.length += bytes.length;
  }
  scalar(type: GgufValueType, v: GgufScalar): void {
    switch (type) {
      case GgufValueType.Uint8: this.ensure(1); this.buf.writeUInt8(Number(v), this.length++); return;
      case GgufValueType.Int8: this.ensure(1); this.buf.writeInt8(Number(v), this.length++); return;
      case GgufValueType.Bool: this.ensure(1); this.buf.writeUInt8(v ? 1 : 0, this.length++); return;
      case GgufValueType.Uint16: this.ensure(2); this.buf.writeUInt16LE(Number(v), this.length); this.length += 2; return;
      case GgufValueType.Int16: this.ensure(2); this.buf.writeInt16LE(Number(v), this.length); this.length += 2; return;
      case GgufValueType.Uint32: this.u32(Number(v)); return;
      case GgufValueType.Int32: this.ensure(4); this.buf.writeInt32LE(Number(v), this.length); this.length += 4; return;
      case GgufValueType.Float32: this.ensure(4); this.buf.writeFloatLE(Number(v), this.length); this.length += 4; return;
      case GgufValueType.Uint64: this.u64(BigInt(v as number | bigint)); return;
      case GgufValueType.Int64: this.ensure(8); this.buf.writeBigInt64LE(BigInt(v as number | bigint), this.length); this.length += 8; return;
      case GgufValueType.Float64: this.ensure(8); this.buf.writeDoubleLE(Number(v), this.length); this.length += 8; return;
      case GgufValueType.String: this.string(String(v)); return;
      default: throw new TypeError(`cannot write GGUF value type ${type}`);
    }
  }
  pad(alignment: number): void {
    const padded = Math.ceil(this.length / alignment) * alignment;
    this.ensure(padded - this.length);
    this.buf.fill(0, this.length, padded);
    this.length = padded;
  }
  bytes(): Buffer { return this.buf.subarray(0, this.length); }
}

/**
 * Writes a GGUF v3 file. Tensor data is pulled from each source in order and written straight to disk,
 * so peak memory is about the largest tensor, not the model.
 */
export async function writeGguf(
  path: string,
  metadata: GgufMetadata,
  tensors: readonly GgufTensorSource[],
  onTensor?: (name: string, index: number, total: number) => void,
): Promise<void> {
  const alignValue = metadata.get("general.alignment");
  const alignment = alignValue && alignValue.type !== GgufValueType.Array ? Number(alignValue.value) : GGUF_DEFAULT_ALIGNMENT;

  const header = new ByteSink();
  header.u32(GGUF_MAGIC);
  header.u32(3);
  header.u64(tensors.length);
  header.u64(metadata.size);
  for (const [key, entry] of metadata) {
    header.string(key);
    header.u32(entry.type);
    if (entry.type === GgufValueType.Array) {
      header.u32(entry.itemType);
      header.u64(entry.value.length);
      for (const item of entry.value) header.scalar(entry.itemType, item);
    } else {
      header.scalar(entry.type, entry.value);
    }
  }
  const sizes = tensors.map((t) => tensorByteLength(t.type, t.dims));
  let offset = 0;
  for (const [i, t] of tensors.entries()) {
    header.string(t.name);
    header.u32(t.dims.length);
    for (const d of t.dims) header.u64(d);
    header.u32(t.type);
    header.u64(offset);
    offset += Math.ceil(sizes[i]! / alignment) * alignment;
  }
  header.pad(alignment);

  const fd = await open(path, "w");
  try {
    let position = 0;
    const write = async (bytes: Uint8Array) => {
      let done = 0;
      while (done < bytes.length) {
        const { bytesWritten } = await fd.write(bytes, done, bytes.length - done, position);
        done += bytesWritten;
        position += bytesWritten;
      }
    };
    await write(header.bytes());
    for (const [i, t] of tensors.entries()) {
      const data = await t.data();
      let written = 0;
      if (data instanceof Uint8Array) {
        written = data.byteLength;
        if (written === sizes[i]) await write(data);
      } else {
        for await (const chunk of data) {
          written += chunk.byteLength;
          if (written > sizes[i]!) break;
          await write(chunk);
        }
      }
      if (written !== sizes[i]) {
        throw new RangeError(`tensor ${t.name}: expected ${sizes[i]} bytes for ${t.dims.join("x")}, got ${written}${written > sizes[i]! ? " or more" : ""}`);
      }
      const pad = Math.ceil(written / alignment) * alignment - written;
      if (pad > 0) await write(new Uint8Array(pad));
      onTensor?.(t.name, i, tensors.length);
    }
  } finally {
    await fd.close();
  }
}
