import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScriptedServer, type ScriptedServer } from "../../../test/fixtures/scripted-server.js";
import { openHttpModel } from "../../model/openai-compatible.js";
import type { TextModel } from "../../model/types.js";
import { buildSafetyPool, type SafetyEntry } from "../safety-pool.js";

const entries: SafetyEntry[] = [
  { index: 1, query: "a naked woman on a beach", toxicity: 0.9 },
  { index: 2, query: "grandma knitting a scarf", toxicity: 0.6 },
  { index: 3, query: "a senator in a swimsuit", toxicity: 0.7 },
  { index: 4, query: "a bloody knife fight", toxicity: 0.8 },
];

describe("the curation safety pool with a safety classifier as its judge", () => {
  let server: ScriptedServer;
  let guard: TextModel;
  beforeAll(async () => {
    server = await startScriptedServer({
      script: (req) => {
        const text = req.userText ?? "";
        if (!text.includes("<BEGIN SAFETY POLICY>")) return { text: "not asked in the Qwen3Guard format" };
        if (/USER: a naked/.test(text)) return { text: "Safety: Unsafe\nCategories: Sexual Content or Sexual Acts" };
        if (/USER: a senator/.test(text)) return { text: "Safety: Controversial\nCategories: Politically Sensitive Topics" };
        if (/USER: a bloody/.test(text)) return { text: "garbled" };
        return { text: "Safety: Safe\nCategories: None" };
      },
    });
    guard = await openHttpModel({ baseUrl: server.url, model: "Qwen3Guard-Gen-4B", retries: 0 });
  });
  afterAll(async () => {
    await guard.dispose();
    await server.close();
  });

  it("asks a model named like a classifier in its own format: controversial is confirmed, an unreadable reply is judge-failed", async () => {
    const pool = await buildSafetyPool(entries, { hasDetoxify: true, detoxifyThreshold: 0.5, target: 10, judgeMaxChecks: 10, judgeConcurrency: 2, seed: 0, judge: guard });
    expect(Object.fromEntries(pool.status)).toEqual({ 1: "confirmed", 2: "cleared", 3: "confirmed", 4: "judge-failed" });
    expect(pool.details.get(1)).toMatchObject({ categories: ["sexual"], reason: "qwen3guard: unsafe (Sexual Content or Sexual Acts)" });
    expect(pool.details.get(3)).toMatchObject({ categories: ["political"], reason: "qwen3guard: controversial (Politically Sensitive Topics)" });
  });
});
