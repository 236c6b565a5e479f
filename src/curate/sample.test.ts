import { describe, expect, it } from "vitest";
import { sampleAndSplit } from "./sample.js";

const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

describe("sampleAndSplit", () => {
  it("samples the requested sizes and keeps the safety share in both splits", () => {
    const result = sampleAndSplit(range(0, 1000), range(1000, 300), { general: 180, safety: 20, sftShare: 0.5, seed: 1 });
    const count = (list: typeof result.sft, pool: string) => list.filter((q) => q.pool === pool).length;
    expect([count(result.sft, "general"), count(result.sft, "safety")]).toEqual([90, 10]);
    expect([count(result.dpo, "general"), count(result.dpo, "safety")]).toEqual([90, 10]);
    const all = [...result.sft, ...result.dpo].map((q) => q.kept);
    expect(new Set(all).size).toBe(200);
    expect(result.sft.map((q) => q.kept)).toEqual([...result.sft.map((q) => q.kept)].sort((a, b) => a - b));
  });

  it("is reproducible for a seed and different across seeds", () => {
    const options = { general: 50, safety: 5, sftShare: 0.6, seed: 7 };
    const a = sampleAndSplit(range(0, 500), range(500, 50), options);
    expect(sampleAndSplit(range(0, 500), range(500, 50), options)).toEqual(a);
    expect(sampleAndSplit(range(0, 500), range(500, 50), { ...options, seed: 8 }).sft).not.toEqual(a.sft);
    expect(a.sft.length).toBe(33);
  });

  it("takes everything when a pool is short", () => {
    const result = sampleAndSplit(range(0, 10), [], { general: 100, safety: 10, sftShare: 0.5, seed: 0 });
    expect(result.sampled).toEqual({ general: 10, safety: 0 });
    expect(result.available).toEqual({ general: 10, safety: 0 });
  });
});
