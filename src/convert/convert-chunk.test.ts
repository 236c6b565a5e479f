import { describe, expect, it } from "vitest";
import { GgmlType } from "../gguf/types.js";
import { convertChunk, permuteHeadRows } from "./convert-chunk.js";
import { halfToFloat } from "./dtype.js";

const bf16 = (...bits: number[]) => new Uint8Array(Uint16Array.from(bits).buffer);

describe("permuteHeadRows", () => {
  it("interleaves each head's two halves so rotary pairs sit on adjacent rows", () => {
    const rows = Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 7]); // 8 rows of 1 byte, heads of 4
    expect([...permuteHeadRows(rows, 1, 4)]).toEqual([0, 2, 1, 3, 4, 6, 5, 7]);
    const wide = Uint8Array.from([0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5]); // 6 rows of 2 bytes, heads of 6
    expect([...permuteHeadRows(wide, 2, 6)]).toEqual([0, 0, 3, 3, 1, 1, 4, 4, 2, 2, 5, 5]);
  });

  it("refuses rows that are not whole heads", () => {
    expect(() => permuteHeadRows(new Uint8Array(6), 1, 4)).toThrow(/heads of 4/);
  });
});

describe("convertChunk", () => {
  it("turns bfloat16 into binary16 with rounding, overflow to infinity and tiny values to subnormals or zero", () => {
    // 1.0, -2.0, 65536 (above f16 max), 1e-8 (below f16 subnormals), 3.140625
    const out = convertChunk({ src: bf16(0x3f80, 0xc000, 0x4780, 0x322c, 0x4049), dtype: "BF16", type: GgmlType.F16, cols: 5 });
    expect(Array.from(new Uint16Array(out.buffer))).toEqual([0x3c00, 0xc000, 0x7c00, 0x0000, 0x4248]);
  });

  it("decodes binary16 sources exactly, subnormals and infinities included", () => {
    const out = convertChunk({ src: bf16(0x3c00, 0x0001, 0xfc00, 0x7bff), dtype: "F16", type: GgmlType.F32, cols: 4 });
    expect(Array.from(new Float32Array(out.buffer))).toEqual([1, 2 ** -24, -Infinity, 65504]);
    expect(halfToFloat(0x3555)).toBeCloseTo(1 / 3, 3);
  });

  it("permutes before quantizing, and sizes Q8_0/Q4_0 output by blocks", () => {
    const values = Float32Array.from({ length: 4 * 32 }, (_, i) => Math.floor(i / 32) + 1); // rows of 1s, 2s, 3s, 4s
    const src = new Uint8Array(values.buffer);
    const q8 = convertChunk({ src, dtype: "F32", type: GgmlType.Q8_0, cols: 32, permuteHeadDim: 4 });
    expect(q8.byteLength).toBe(4 * 34);
    const scales = [0, 1, 2, 3].map((b) => halfToFloat(q8[b * 34]! | (q8[b * 34 + 1]! << 8)) * 127);
    expect(scales.map((s) => Math.round(s))).toEqual([1, 3, 2, 4]);
    expect(convertChunk({ src, dtype: "F32", type: GgmlType.Q4_0, cols: 32 }).byteLength).toBe(4 * 18);
  });

  it("rejects a chunk that is not whole rows", () => {
    expect(() => convertChunk({ src: new Uint8Array(6), dtype: "BF16", type: GgmlType.F16, cols: 2 })).toThrow(/whole rows/);
  });
});
