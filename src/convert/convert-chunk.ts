/**
 * The unit of conversion work: a run of whole rows of one tensor, source bytes in, GGUF bytes out. Pure, so it runs
 * the same on the main thread and in worker threads.
 */
import { GgmlType, tensorByteLength } from "../gguf/types.js";
import { SOURCE_DTYPE_BYTES, decodeToF32, encodeToF16, type SourceDtype } from "./dtype.js";
import { quantizeQ4_0, quantizeQ8_0 } from "./quantize.js";

/** The tensor types vpo writes. */
export type OutputGgmlType = GgmlType.F32 | GgmlType.F16 | GgmlType.Q8_0 | GgmlType.Q4_0;

export interface ChunkJob {
  /** Whole rows (`cols` elements each) of `dtype`, little-endian, in the checkpoint's row order. */
  src: Uint8Array;
  dtype: SourceDtype;
  type: OutputGgmlType;
  cols: number;
  /**
   * For attention Q and K weights: rows come in groups of one head (`headDim` rows) whose halves hold the two
   * components of each rotary pair (Hugging Face's rotate_half layout); llama.cpp wants the pairs adjacent.
   */
  permuteHeadDim?: number;
}

/** Reorders each head's rows from [first half, second half] to interleaved pairs (row 2i ← i, row 2i+1 ← half + i). */
export function permuteHeadRows(src: Uint8Array, rowBytes: number, headDim: number): Uint8Array {
  const rows = src.byteLength / rowBytes;
  if (rows % headDim !== 0 || headDim % 2 !== 0) throw new RangeError(`cannot permute ${rows} rows in heads of ${headDim}`);
  const out = new Uint8Array(src.byteLength);
  const half = headDim / 2;
  for (let head = 0; head < rows; head += headDim) {
    for (let i = 0; i < half; i++) {
      for (let j = 0; j < 2; j++) {
        const from = (head + j * half + i) * rowBytes;
        out.set(src.subarray(from, from + rowBytes), (head + i * 2 + j) * rowBytes);
      }
    }
  }
  return out;
}

export function convertChunk(job: ChunkJob): Uint8Array {
  const elementBytes = SOURCE_DTYPE_BYTES[job.dtype];
  let src = job.src;
  if (src.byteLength % (job.cols * elementBytes) !== 0) {
    throw new RangeError(`chunk of ${src.byteLength} bytes is not whole rows of ${job.cols} ${job.dtype} values`);
  }
  if (job.permuteHeadDim) src = permuteHeadRows(src, job.cols * elementBytes, job.permuteHeadDim);
  // Typed views need aligned offsets; a copy is cheap next to the conversion itself.
  if (src.byteOffset % 4 !== 0) src = src.slice();
  const count = src.byteLength / elementBytes;
  const out = new Uint8Array(tensorByteLength(job.type, [count]));
  switch (job.type) {
    case GgmlType.F32:
      decodeToF32(src, job.dtype, new Float32Array(out.buffer));
      return out;
    case GgmlType.F16:
      encodeToF16(src, job.dtype, new Uint16Array(out.buffer));
      return out;
    case GgmlType.Q8_0:
    case GgmlType.Q4_0: {
      const values = new Float32Array(count);
      decodeToF32(src, job.dtype, values);
      (job.type === GgmlType.Q8_0 ? quantizeQ8_0 : quantizeQ4_0)(values, out);
      return out;
    }
  }
}
