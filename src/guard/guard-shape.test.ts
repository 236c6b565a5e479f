import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryOf, startScriptedServer, type ScriptedServer } from "../../test/fixtures/scripted-server.js";
import { openHttpModel } from "../model/openai-compatible.js";
import type { TextModel } from "../model/types.js";
import { screenSafety, type SafetyScreen } from "../safety/screen-safety.js";
import { guardedOptimize } from "./guarded-optimize.js";

/** A deployment's policy: one brand must never appear. */
const brandScreen: SafetyScreen = (text) => {
  const base = screenSafety(text);
  const at = text.toLowerCase().indexOf("acme cola");
  if (at < 0) return base;
  return { flagged: true, categories: [...base.categories, "brand"], matches: [...base.matches, { category: "brand", term: "acme cola", text: text.slice(at, at + 9), start: at, end: at + 9 }] };
};

let optimizer: ScriptedServer;
let judgeServer: ScriptedServer;
let model: TextModel;
let judge: TextModel;

beforeAll(async () => {
  optimizer = await startScriptedServer({
    script: (req) => {
      if (String(req.body!.messages[0]!.content).startsWith("Split this video prompt")) {
        return { text: JSON.stringify({ shots: [{ description: "A party table with a cake reading HAPPY BIRTHDAY", action: "candles flicker", camera: "static", duration: 2 }, { description: "Friends raise plain red cans of acme cola", action: "they cheer", camera: "pan right", duration: 2 }] }) };
      }
      return { text: `A birthday party where ${queryOf(req.userText)}, balloons everywhere.` };
    },
  });
  // The refiner removes the brand and, with it, the cake's quoted text.
  judgeServer = await startScriptedServer({
    script: (req) => {
      if (String(req.body!.messages[0]!.content).startsWith("You repair")) return { text: JSON.stringify({ reflection: "Dropped the brand.", refined_prompt: "A birthday party with a cake and plain red cans on the table, balloons everywhere." }) };
      return { text: /acme/i.test(req.userText!.split("Video prompt to judge")[1]!) ? "No" : "Yes" };
    },
  });
  model = await openHttpModel({ baseUrl: optimizer.url, model: "vpo", retries: 0 });
  judge = await openHttpModel({ baseUrl: judgeServer.url, model: "judge", retries: 0 });
});
afterAll(async () => {
  await Promise.all([model.dispose(), judge.dispose()]);
  await Promise.all([optimizer.close(), judgeServer.close()]);
});

describe("the guard and protected terms", () => {
  it("re-inserts a protected term its refinement dropped, and never protects a flagged one", async () => {
    const r = await guardedOptimize('a cake saying "HAPPY BIRTHDAY" and a can of "acme cola"', { model, judge, screen: brandScreen, rounds: 1 });
    expect(r.report.status).toBe("sanitized");
    expect(r.prompt).toBe('A birthday party with a cake and plain red cans on the table, balloons everywhere. It shows "HAPPY BIRTHDAY".');
    expect(r.protectedTerms).toEqual([{ text: "HAPPY BIRTHDAY", source: "quoted", kept: "inserted" }]);
    expect(r.report.changes).toContain('not protecting "acme cola": the safety screen flags it');
    expect(r.report.changes).toContain("re-inserted protected terms the guard's rounds dropped: HAPPY BIRTHDAY");
  });

  it("plans shots from the final safe prompt and screens the joined plan", async () => {
    const r = await guardedOptimize("a birthday party", { model, screen: brandScreen, rounds: 0, shots: 2 });
    expect(r.status).toBe("ok");
    expect(r.shots).toHaveLength(2);
    expect(r.prompt).toMatch(/^Shot 1 \(0-2s, camera: static\): A party table/);
    expect(r.prompt).not.toMatch(/acme/i);
    expect(r.report.changes).toContain("removed flagged terms from the shot plan: acme cola");
  });
});
