import { float32ToFloat16 } from "../gguf/half.js";

/** Element types a safetensors checkpoint may hold that we convert (others are rejected with a clear error). */
export type SourceDtype = "F32" | "F16" | "BF16";

export const SOURCE_DTYPE_BYTES: Record<SourceDtype, number> = { F32: 4, F16: 2, BF16: 2 };

export function isSourceDtype(dtype: string): dtype is SourceDtype {
  return dtype === "F32" || dtype === "F16" || dtype === "BF16";
}

let f16ToF32Table: Float32Array | undefined;
let bf16ToF16Table: Uint16Array | undefined;

/** binary16 → binary32 for all 65,536 bit patterns (exact; 256 KB, built once). */
function halfTable(): Float32Array {
  if (f16ToF32Table) return f16ToF32Table;
  const table = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) {
    const sign = h & 0x8000 ? -1 : 1;
    const exp = (h >>> 10) & 0x1f;
    const mant = h & 0x3ff;
    if (exp === 0) table[h] = sign * mant * 2 ** -24;
    else if (exp === 0x1f) table[h] = mant ? NaN : sign * Infinity;
    else table[h] = sign * (1 + mant / 1024) * 2 ** (exp - 15);
  }
  return (f16ToF32Table = table);
}

/** One binary16 bit pattern → its value. */
export function halfToFloat(bits: number): number {
  return halfTable()[bits & 0xffff]!;
}

/** bfloat16 → binary16 with round-to-nearest-even for all bit patterns: a lookup instead of two conversions. */
function bf16HalfTable(): Uint16Array {
  if (bf16ToF16Table) return bf16ToF16Table;
  const table = new Uint16Array(65536);
  const u32 = new Uint32Array(1);
  const f32 = new Float32Array(u32.buffer);
  for (let b = 0; b < 65536; b++) {
    u32[0] = b << 16;
    table[b] = float32ToFloat16(f32[0]!);
  }
  return (bf16ToF16Table = table);
}

/** Little-endian element view of raw tensor bytes (the buffer must be 4-byte aligned for F32). */
function view16(bytes: Uint8Array): Uint16Array {
  return new Uint16Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 2);
}

/** Decodes `bytes` of `dtype` into `out` (binary32). */
export function decodeToF32(bytes: Uint8Array, dtype: SourceDtype, out: Float32Array): void {
  if (dtype === "F32") {
    out.set(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4));
    return;
  }
  const src = view16(bytes);
  if (dtype === "BF16") {
    const bits = new Uint32Array(out.buffer, out.byteOffset, src.length);
    for (let i = 0; i < src.length; i++) bits[i] = src[i]! << 16;
    return;
  }
  const table = halfTable();
  for (let i = 0; i < src.length; i++) out[i] = table[src[i]!]!;
}

/** Encodes `bytes` of `dtype` as binary16 into `out` (round-to-nearest-even, as numpy's astype(float16)). */
export function encodeToF16(bytes: Uint8Array, dtype: SourceDtype, out: Uint16Array): void {
  if (dtype === "F16") {
    out.set(view16(bytes));
    return;
  }
  if (dtype === "BF16") {
    const table = bf16HalfTable();
    const src = view16(bytes);
    for (let i = 0; i < src.length; i++) out[i] = table[src[i]!]!;
    return;
  }
  const src = new Float32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength / 4);
  for (let i = 0; i < src.length; i++) out[i] = float32ToFloat16(src[i]!);
}
