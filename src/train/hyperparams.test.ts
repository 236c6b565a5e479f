import { describe, expect, it } from "vitest";
import { splitBatch } from "./hyperparams.js";
import { pyYamlNumber } from "./formats/flat-yaml.js";

describe("effective batch split", () => {
  it("holds the paper's batches on 8, 4, 2 and 1 GPUs and over nodes", () => {
    expect(splitBatch(64, 8, 4)).toEqual({ perDevice: 4, accumulation: 2, world: 8, effective: 64 });
    expect(splitBatch(64, 1, 4)).toEqual({ perDevice: 4, accumulation: 16, world: 1, effective: 64 });
    expect(splitBatch(16, 2, 2)).toEqual({ perDevice: 2, accumulation: 4, world: 2, effective: 16 });
    expect(splitBatch(64, 16, 4)).toEqual({ perDevice: 4, accumulation: 1, world: 16, effective: 64 });
    expect(splitBatch(16, 32, 2).effective).toBe(32);
  });

  it("uses the nearest achievable batch when the GPU count does not divide it", () => {
    const split = splitBatch(64, 3, 4);
    expect(split.effective).toBe(63);
    expect(split.perDevice * split.accumulation * 3).toBe(63);
  });
});

describe("YAML numbers", () => {
  it("writes floats PyYAML's YAML 1.1 resolver reads as floats", () => {
    const pyYamlFloat = /^[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?$|^[-+]?[0-9]+$/;
    for (const n of [2e-6, 5e-7, 1.5e-5, 0.1, 0.999, 64, 180000000, 1e-12]) {
      expect(pyYamlNumber(n)).toMatch(pyYamlFloat);
      expect(Number(pyYamlNumber(n))).toBe(n);
    }
    expect(pyYamlNumber(2e-6)).toBe("2.0e-6");
  });
});
