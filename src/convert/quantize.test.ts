import { describe, expect, it } from "vitest";
import { Q4_0_BLOCK_BYTES, Q8_0_BLOCK_BYTES, dequantizeQ4_0, dequantizeQ8_0, quantizeQ4_0, quantizeQ8_0 } from "./quantize.js";

const block = (values: number[]) => Float32Array.from({ length: 32 }, (_, i) => values[i] ?? 0);

describe("Q8_0", () => {
  it("stores d = amax/127 as f16 and rounds halves away from zero, as C's roundf does", () => {
    const out = new Uint8Array(Q8_0_BLOCK_BYTES);
    quantizeQ8_0(block([127, -127, 2.5, -2.5, 0.49, -0.51, 1.5]), out);
    expect([out[0], out[1]]).toEqual([0x00, 0x3c]); // 1.0 in binary16
    const q = Array.from(new Int8Array(out.buffer, 2, 7));
    expect(q).toEqual([127, -127, 3, -3, 0, -1, 2]);
  });

  it("quantizes an all-zero block to a zero scale and zero values", () => {
    const out = new Uint8Array(Q8_0_BLOCK_BYTES).fill(0xff);
    quantizeQ8_0(new Float32Array(32), out);
    expect([...out]).toEqual(new Array(34).fill(0));
  });

  it("round-trips random rows within half a step, plus the f16 rounding of the scale", () => {
    const values = Float32Array.from({ length: 32 * 64 }, (_, i) => Math.sin(i * 12.9898) * (1 + (i % 7)));
    const bytes = new Uint8Array((values.length / 32) * Q8_0_BLOCK_BYTES);
    quantizeQ8_0(values, bytes);
    const back = new Float32Array(values.length);
    dequantizeQ8_0(bytes, back);
    for (let b = 0; b < values.length / 32; b++) {
      const slice = values.subarray(b * 32, b * 32 + 32);
      const step = Math.max(...slice.map(Math.abs)) / 127;
      for (let j = 0; j < 32; j++) expect(Math.abs(back[b * 32 + j]! - slice[j]!)).toBeLessThanOrEqual(step * (0.5 + 127 / 2048));
    }
  });
});

describe("Q4_0", () => {
  it("scales by the signed value of largest magnitude over -8 and packs element j low, element 16+j high", () => {
    const out = new Uint8Array(Q4_0_BLOCK_BYTES);
    // max magnitude is -8 → d = 1; q = min(15, trunc(x + 8.5))
    const values = block([-8, 7, 7.6, -0.5, 0.49]);
    values[16] = 3;
    values[17] = -3.4;
    quantizeQ4_0(values, out);
    expect([out[0], out[1]]).toEqual([0x00, 0x3c]);
    expect(out[2]).toBe(0 | (11 << 4)); // -8 → 0, 3 → 11
    expect(out[3]).toBe(15 | (5 << 4)); // 7 → 15, -3.4 → trunc(5.1) = 5
    expect(out[4]! & 0x0f).toBe(15); // 7.6 → 16.1 → clamped to 15
    expect(out[5]! & 0x0f).toBe(8); // -0.5 → 8.0 → 8
    expect(out[6]! & 0x0f).toBe(8); // 0.49 → 8.99 → 8
  });

  it("flips the scale's sign when the largest-magnitude value is positive", () => {
    const out = new Uint8Array(Q4_0_BLOCK_BYTES);
    quantizeQ4_0(block([8, -4]), out);
    expect([out[0], out[1]]).toEqual([0x00, 0xbc]); // -1.0
    expect(out[2]! & 0x0f).toBe(0); // 8 * -1 + 8.5 → 0
    expect(out[3]! & 0x0f).toBe(12); // -4 * -1 + 8.5 → 12
  });

  it("round-trips within one step (half a step except where the top level is clamped)", () => {
    const values = Float32Array.from({ length: 32 * 64 }, (_, i) => Math.cos(i * 78.233) * (1 + (i % 5)));
    const bytes = new Uint8Array((values.length / 32) * Q4_0_BLOCK_BYTES);
    quantizeQ4_0(values, bytes);
    const back = new Float32Array(values.length);
    dequantizeQ4_0(bytes, back);
    for (let b = 0; b < values.length / 32; b++) {
      const slice = values.subarray(b * 32, b * 32 + 32);
      const step = Math.max(...slice.map(Math.abs)) / 8;
      for (let j = 0; j < 32; j++) expect(Math.abs(back[b * 32 + j]! - slice[j]!)).toBeLessThanOrEqual(step * (1 + 8 / 2048));
    }
  });
});
