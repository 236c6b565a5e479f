/**
 * Q8_0 and Q4_0 block quantization, bit-compatible with ggml's reference quantizers (quantize_row_q8_0_ref,
 * quantize_row_q4_0_ref): blocks of 32 values, one binary16 scale each, round-to-nearest. Arithmetic that ggml does
 * in binary32 is rounded with Math.fround so results match bit for bit.
 */
import { float32ToFloat16 } from "../gguf/half.js";
import { halfToFloat } from "./dtype.js";

export const QK = 32;
export const Q8_0_BLOCK_BYTES = 34;
export const Q4_0_BLOCK_BYTES = 18;

const fr = Math.fround;

/** C's roundf: halves away from zero (Math.round rounds -2.5 to -2). */
function roundf(x: number): number {
  return x < 0 ? -Math.floor(-x + 0.5) : Math.floor(x + 0.5);
}

/** Quantizes `src` (a multiple of 32 values) into `out` as Q8_0 blocks: f16 scale d = amax/127, then 32 int8. */
export function quantizeQ8_0(src: Float32Array, out: Uint8Array): void {
  const blocks = src.length / QK;
  for (let b = 0; b < blocks; b++) {
    const base = b * QK;
    let amax = 0;
    for (let j = 0; j < QK; j++) {
      const v = Math.abs(src[base + j]!);
      if (v > amax) amax = v;
    }
    const d = fr(amax / 127);
    const id = d ? fr(1 / d) : 0;
    const o = b * Q8_0_BLOCK_BYTES;
    const h = float32ToFloat16(d);
    out[o] = h & 0xff;
    out[o + 1] = h >>> 8;
    for (let j = 0; j < QK; j++) out[o + 2 + j] = roundf(fr(src[base + j]! * id)) & 0xff;
  }
}

/**
 * Quantizes `src` into Q4_0 blocks: f16 scale d = max / -8 where max is the value of largest magnitude (sign kept),
 * then 16 bytes whose low nibbles hold values 0..15 and high nibbles values 16..31, each q = min(15, trunc(x/d + 8.5)).
 */
export function quantizeQ4_0(src: Float32Array, out: Uint8Array): void {
  const blocks = src.length / QK;
  for (let b = 0; b < blocks; b++) {
    const base = b * QK;
    let amax = 0;
    let max = 0;
    for (let j = 0; j < QK; j++) {
      const v = src[base + j]!;
      if (amax < Math.abs(v)) {
        amax = Math.abs(v);
        max = v;
      }
    }
    const d = fr(max / -8);
    const id = d ? fr(1 / d) : 0;
    const o = b * Q4_0_BLOCK_BYTES;
    const h = float32ToFloat16(d);
    out[o] = h & 0xff;
    out[o + 1] = h >>> 8;
    for (let j = 0; j < QK / 2; j++) {
      const x0 = fr(src[base + j]! * id);
      const x1 = fr(src[base + QK / 2 + j]! * id);
      const q0 = Math.min(15, Math.trunc(fr(x0 + 8.5)));
      const q1 = Math.min(15, Math.trunc(fr(x1 + 8.5)));
      out[o + 2 + j] = q0 | (q1 << 4);
    }
  }
}

/** Q8_0 blocks → values (d × q), for checks and reference computations. */
export function dequantizeQ8_0(bytes: Uint8Array, out: Float32Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let b = 0; b < out.length / QK; b++) {
    const o = b * Q8_0_BLOCK_BYTES;
    const d = halfToFloat(view.getUint16(o, true));
    for (let j = 0; j < QK; j++) out[b * QK + j] = d * view.getInt8(o + 2 + j);
  }
}

/** Q4_0 blocks → values (d × (q − 8)), for checks and reference computations. */
export function dequantizeQ4_0(bytes: Uint8Array, out: Float32Array): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let b = 0; b < out.length / QK; b++) {
    const o = b * Q4_0_BLOCK_BYTES;
    const d = halfToFloat(view.getUint16(o, true));
    for (let j = 0; j < QK / 2; j++) {
      const byte = bytes[o + 2 + j]!;
      out[b * QK + j] = d * ((byte & 0x0f) - 8);
      out[b * QK + QK / 2 + j] = d * ((byte >>> 4) - 8);
    }
  }
}
