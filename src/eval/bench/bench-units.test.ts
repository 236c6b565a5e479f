import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadChecklist } from "../../reward/checklist.js";
import type { Answer } from "../../reward/types.js";
import { bootstrapMean, bootstrapPairedDifference } from "./bootstrap.js";
import { checklistDimensions, rewardColumns } from "./columns.js";
import { parseScorerOutput } from "./dimension-scorer.js";
import { limitSuite, loadSuite, readSuiteFile } from "./suite.js";
import { parseSystemSpec, splitFlags } from "./system-spec.js";

describe("bootstrap intervals", () => {
  it("are seeded (same seed, same interval), contain the mean, and narrow with more data", () => {
    const values = Array.from({ length: 40 }, (_, i) => (i * 37) % 11);
    const a = bootstrapMean(values, 7);
    expect(bootstrapMean(values, 7)).toEqual(a);
    expect(bootstrapMean(values, 8)).not.toEqual(a);
    expect(a.mean).toBeCloseTo(values.reduce((s, x) => s + x, 0) / 40, 12);
    expect(a.low).toBeLessThan(a.mean);
    expect(a.high).toBeGreaterThan(a.mean);
    const more = bootstrapMean([...values, ...values, ...values, ...values], 7);
    expect(more.high - more.low).toBeLessThan(a.high - a.low);
    expect(bootstrapMean([], 1).n).toBe(0);
  });

  it("pairs by key: a constant improvement has a zero-width interval however spread the scores are", () => {
    const base = new Map(Array.from({ length: 30 }, (_, i) => [String(i), i * i] as const));
    const better = new Map([...base].map(([k, v]) => [k, v + 0.5] as const));
    better.set("extra", 100);
    const d = bootstrapPairedDifference(base, better, 3);
    expect(d).toMatchObject({ n: 30, mean: 0.5, low: 0.5, high: 0.5 });
  });
});

describe("reward columns", () => {
  const checklist = loadChecklist();
  it("sum the weights of each dimension's yes answers; dimensions that weigh nothing are left out", () => {
    const dims = checklistDimensions(checklist);
    // In file order; Safety's questions all weigh 0, so it would be a column of zeros.
    expect(dims).toEqual(["Alignment", "Composition", "Stability", "Quality", "Preservation", "Dynamic", "Fidelity", "Physics"]);
    const answers: Answer[] = checklist.weights.map((_, i) => (i < 4 ? "yes" : "no"));
    const cols = rewardColumns(checklist, { score: 2.3486, answers });
    expect(cols.Alignment).toBeCloseTo(checklist.weights.slice(0, 4).reduce((s, w) => s + w, 0), 12);
    expect(cols.Stability).toBe(0);
    expect(cols.overall).toBe(2.3486);
    expect(rewardColumns(checklist, { score: 0.42 })).toEqual({ score: 0.42 });
  });
});

describe("suites", () => {
  it("ships the four VBench dimensions of Table 1, and samples a seeded subset in suite order", () => {
    const all = loadSuite("vbench-all");
    expect(new Set(all.items.map((i) => i.categories[0]))).toEqual(new Set(["human-action", "scene", "multiple-objects", "appearance-style"]));
    expect(loadSuite("vbench-scene").dimensions).toEqual({ scene: "scene" });
    const picked = limitSuite(all.items.map((x, i) => ({ ...x, i })), 20, 5);
    expect(picked).toHaveLength(20);
    expect(picked.map((p) => p.i)).toEqual([...picked.map((p) => p.i)].sort((a, b) => a - b));
    expect(limitSuite(all.items, 20, 5)).toEqual(limitSuite(all.items, 20, 5));
    expect(() => loadSuite("vbench-colour")).toThrow(/unknown suite "vbench-colour"/);
  });

  it("reads MonetBench-style files: prompt plus content and challenge categories", () => {
    const dir = mkdtempSync(join(tmpdir(), "vpo-suite-"));
    const file = join(dir, "monetbench.jsonl");
    writeFileSync(file, [JSON.stringify({ prompt: "a chef flips a pancake", content: "Food", challenge: ["Motion", "Physics"] }), JSON.stringify({ query: "a cat", id: 7 })].join("\n"));
    expect(readSuiteFile(file)).toEqual([
      { query: "a chef flips a pancake", categories: ["content: Food", "challenge: Motion", "challenge: Physics"] },
      { query: "a cat", id: 7, categories: [] },
    ]);
    writeFileSync(file, '{"prompt": "x"}\n{oops\n');
    expect(() => readSuiteFile(file)).toThrow(/:2: malformed JSON line/);
  });
});

describe("--system specs", () => {
  it("parse a flag string into a model spec, template, preset and guard", () => {
    expect(parseSystemSpec("original")).toEqual({ name: "original", kind: "original" });
    expect(parseSystemSpec("gpt4o=--base-url https://api.example/v1 --model gpt-4o --api-key 'sk x' --template few-shot --temperature 0.2 --guard refuse")).toEqual({
      name: "gpt4o", kind: "optimizer", model: { baseUrl: "https://api.example/v1", model: "gpt-4o", apiKey: "sk x" }, template: "few-shot", preset: "official", sampling: { temperature: 0.2 }, guard: "refuse",
    });
    expect(splitFlags(`--a "b c" d\\ e ''`)).toEqual(["--a", "b c", "d e", ""]);
    expect(() => parseSystemSpec("vpo")).toThrow(/expected "original" or NAME=<model flags>/);
    expect(() => parseSystemSpec("vpo=--template x")).toThrow(/no model/);
    expect(() => parseSystemSpec("vpo=--model m.gguf --preset hot")).toThrow(/unknown preset "hot"/);
  });
});

describe("scorer output", () => {
  it("reads VBench's results shape and a plain per-video map, and says what is missing otherwise", () => {
    const vbench = parseScorerOutput('loading…\n{"scene": [0.5, [{"video_path": "/v/alley-0.mp4", "video_results": 0.25}, {"video_path": "/v/bar-0.mp4", "video_results": true}]]}', "scene");
    expect(vbench).toEqual(new Map([["alley-0.mp4", 0.25], ["bar-0.mp4", 1]]));
    expect(parseScorerOutput('{"videos": {"a-0.mp4": 3}}', "x")).toEqual(new Map([["a-0.mp4", 3]]));
    expect(parseScorerOutput('{"score": 0.4}', "scene")).toMatchObject({ reason: expect.stringContaining("without per-video results for scene") });
  });
});
