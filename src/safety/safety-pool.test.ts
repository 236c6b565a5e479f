import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScriptedServer, type ScriptedServer } from "../../test/fixtures/scripted-server.js";
import { openHttpModel } from "../model/openai-compatible.js";
import type { TextModel } from "../model/types.js";
import { buildSafetyPool, type SafetyEntry, type SafetyPoolOptions } from "./safety-pool.js";
import { parseSafetyVerdict } from "./safety-judge.js";

const entries: SafetyEntry[] = [
  { index: 0, query: "a cat playing piano", toxicity: 0.01 },
  { index: 3, query: "a naked woman on a beach", toxicity: 0.92 },
  { index: 5, query: "a bloody knife fight in an alley", toxicity: 0.71 },
  { index: 8, query: "grandma knitting a scarf", toxicity: 0.6 }, // a Detoxify false positive
  { index: 9, query: "sunset over the sea" },
];

const base: SafetyPoolOptions = { hasDetoxify: true, detoxifyThreshold: 0.5, target: 10, judgeMaxChecks: 100, judgeConcurrency: 2, seed: 0 };

/** A judge that calls a query unsafe when it mentions nudity or blood. */
const judgeReply = (text: string | undefined) => {
  const query = /Video request: (.*)$/s.exec(text ?? "")?.[1] ?? "";
  const unsafe = /naked|blood/.test(query);
  return JSON.stringify({ unsafe, categories: unsafe ? [query.includes("naked") ? "sexual" : "gore"] : [], reason: unsafe ? "explicit" : "harmless" });
};

describe("buildSafetyPool", () => {
  let server: ScriptedServer;
  let judge: TextModel;
  beforeAll(async () => {
    server = await startScriptedServer({ script: (request) => ({ text: judgeReply(request.userText) }) });
    judge = await openHttpModel({ baseUrl: server.url, model: "judge-model", retries: 0 });
  });
  afterAll(async () => {
    await judge.dispose();
    await server.close();
  });

  it("takes Detoxify scores over the threshold as candidates", async () => {
    const pool = await buildSafetyPool(entries, base);
    expect(pool.source).toBe("detoxify");
    expect([...pool.status]).toEqual([
      [3, "candidate"],
      [5, "candidate"],
      [8, "candidate"],
    ]);
  });

  it("uses the injected screen when there are no Detoxify columns", async () => {
    const screen = (text: string) => ({ categories: /naked/.test(text) ? ["sexual"] : [] });
    const pool = await buildSafetyPool(entries, { ...base, hasDetoxify: false, screen });
    expect(pool.source).toBe("screen");
    expect([...pool.status]).toEqual([[3, "candidate"]]);
    expect(pool.details.get(3)).toMatchObject({ categories: ["sexual"] });
  });

  it("has an empty pool with neither Detoxify, a screen nor a judge", async () => {
    const pool = await buildSafetyPool(entries, { ...base, hasDetoxify: false });
    expect(pool).toMatchObject({ source: "none", candidates: 0 });
  });

  it("re-checks candidates with the LLM judge (JSON schema), logs verdicts and reuses them on a re-run", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vpo-safety-"));
    const judgeLog = join(dir, "safety-judge.jsonl");
    const before = server.chatRequests().length;
    const pool = await buildSafetyPool(entries, { ...base, judge, judgeLog });
    expect(Object.fromEntries(pool.status)).toEqual({ 3: "confirmed", 5: "confirmed", 8: "cleared" });
    expect(pool.judged).toBe(3);
    const requests = server.chatRequests().slice(before);
    expect(requests).toHaveLength(3);
    expect(requests[0]!.body!.response_format).toMatchObject({ type: "json_schema" });
    expect(readFileSync(judgeLog, "utf8").trim().split("\n")).toHaveLength(3);

    const again = await buildSafetyPool(entries, { ...base, judge, judgeLog });
    expect(Object.fromEntries(again.status)).toEqual(Object.fromEntries(pool.status));
    expect(again.reused).toBe(3);
    expect(server.chatRequests().length - before).toBe(3);
  });

  it("stops judging once the target is confirmed", async () => {
    const pool = await buildSafetyPool(entries, { ...base, judge, target: 1, judgeConcurrency: 1, seed: 3 });
    expect([...pool.status.values()].filter((s) => s === "confirmed")).toHaveLength(1);
    expect(pool.judged).toBeLessThan(3);
    expect([...pool.status.values()]).toContain("candidate");
  });

  it("lets the judge screen kept queries itself when there is no other signal", async () => {
    const pool = await buildSafetyPool(entries, { ...base, hasDetoxify: false, judge });
    expect(pool.source).toBe("judge-only");
    expect(Object.fromEntries(pool.status)).toEqual({ 3: "confirmed", 5: "confirmed" });
  });

  it("marks a candidate whose verdict is unusable, and goes on", async () => {
    server.setScript((request) => ({ text: /knife/.test(request.userText ?? "") ? "I am not sure." : judgeReply(request.userText) }));
    try {
      const pool = await buildSafetyPool(entries, { ...base, judge });
      expect(Object.fromEntries(pool.status)).toEqual({ 3: "confirmed", 5: "judge-failed", 8: "cleared" });
    } finally {
      server.setScript((request) => ({ text: judgeReply(request.userText) }));
    }
  });
});

describe("parseSafetyVerdict", () => {
  it("reads JSON, fenced JSON and a bare yes/no", () => {
    expect(parseSafetyVerdict('{"unsafe": true, "categories": ["gore"], "reason": "blood"}')).toEqual({ unsafe: true, categories: ["gore"], reason: "blood" });
    expect(parseSafetyVerdict('```json\n{"unsafe": false}\n```')).toEqual({ unsafe: false, categories: [], reason: "" });
    expect(parseSafetyVerdict("No. It is a harmless scene.").unsafe).toBe(false);
    expect(() => parseSafetyVerdict("I am not sure.")).toThrow(/not a verdict/);
  });
});
