import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { emptyUsage } from "../model/types.js";
import type { OptimizeResult } from "./optimize.js";
import { readBatchSpecs, writeBatchSpecs } from "./prompt-spec-file.js";
import { formatResult, promptSpec } from "./prompt-spec.js";
import { resolveSampling } from "./sampling.js";

const result = (extra: Partial<OptimizeResult> = {}): OptimizeResult => ({
  query: "a fox -ar 16:9 -seed 7 --v 5",
  prompt: "A red fox in the snow.",
  flags: { aspectRatio: "16:9", seed: 7, other: { v: "5" }, warnings: ["w"] },
  model: { backend: "openai-compatible", id: "m" },
  template: { name: "vpo", version: "x" },
  sampling: resolveSampling(undefined),
  usage: emptyUsage(),
  status: "ok",
  language: { detected: "en", reliable: true, output: "en", matched: true },
  ...extra,
});

describe("promptSpec and formatResult", () => {
  it("keeps the typed flags only, leaves absent fields out and carries a target's length", () => {
    expect(promptSpec(result())).toEqual({ prompt: "A red fox in the snow.", flags: { aspectRatio: "16:9", seed: 7 }, language: { detected: "en", output: "en" }, status: "ok" });
    const length = { tokens: 12, budget: 226, counted: "exact" as const };
    expect(promptSpec({ ...result({ negativePrompt: "blurry" }), length })).toMatchObject({ negativePrompt: "blurry", length });
    expect(promptSpec(result({ prompt: null, status: "failed", error: { code: "backend", message: "down" } }))).toMatchObject({ prompt: null, status: "failed", error: "down" });
  });

  it("prints text with the negative prompt on its own line, and nothing for a failure", () => {
    expect(formatResult(result({ negativePrompt: "blurry, text" }), "text")).toBe("A red fox in the snow.\nNegative prompt: blurry, text\n");
    expect(formatResult(result({ prompt: null, status: "failed" }), "text")).toBe("");
    expect(parse(formatResult(result(), "yaml"))).toEqual(promptSpec(result()));
  });
});

describe("writeBatchSpecs", () => {
  it("writes the specs in input order, the last record of an index winning, and names a bad line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vpo-spec-"));
    const out = join(dir, "out.jsonl");
    const line = (index: number, prompt: string | null, status = "ok") => JSON.stringify({ ...result({ prompt, status: status as "ok" }), index });
    writeFileSync(out, `${line(1, "B")}\n${line(0, null, "failed")}\n${line(0, "A")}\n`);
    expect(await writeBatchSpecs(out, join(dir, "s.json"), "json")).toBe(2);
    expect(JSON.parse(readFileSync(join(dir, "s.json"), "utf8")).map((s: { index: number; prompt: string }) => [s.index, s.prompt])).toEqual([[0, "A"], [1, "B"]]);
    await writeBatchSpecs(out, join(dir, "s.txt"), "text");
    expect(readFileSync(join(dir, "s.txt"), "utf8")).toBe("A\n\nB\n");
    writeFileSync(out, `${line(0, "A")}\n{"index": "x"}\n`);
    await expect(readBatchSpecs(out)).rejects.toThrow(`${out}:2: not an optimize record`);
  });
});
