import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScriptedServer, type ScriptedServer } from "../../test/fixtures/scripted-server.js";
import { parseQuery } from "../intent/parse-query.js";
import { openHttpModel } from "../model/openai-compatible.js";
import type { TextModel } from "../model/types.js";
import { screenSafety, type SafetyScreen } from "../safety/screen-safety.js";
import { assessPrompt } from "./assess-prompt.js";
import { judgePrompt } from "./judge-prompt.js";

/** A deployment's own policy: the shipped lexicon plus a brand it must never show. */
const BRAND = "acme cola";
const brandScreen: SafetyScreen = (text) => {
  const base = screenSafety(text);
  const at = text.toLowerCase().indexOf(BRAND);
  if (at < 0) return base;
  const match = { category: "brand", term: BRAND, text: text.slice(at, at + BRAND.length), start: at, end: at + BRAND.length };
  return { flagged: true, categories: [...base.categories, "brand"], matches: [...base.matches, match] };
};
const query = "a man drinking acme cola on a beach";
const prompt = "A man on a sunny beach drinks a can of Acme Cola, waves rolling in behind him.";

let server: ScriptedServer;
let judge: TextModel;

beforeAll(async () => {
  server = await startScriptedServer({ script: () => ({ text: "Final Judgement (Yes or No): No" }) });
  judge = await openHttpModel({ baseUrl: server.url, model: "judge", retries: 0 });
});
afterAll(async () => {
  await judge.dispose();
  await server.close();
});

describe("assessPrompt with an injected screen", () => {
  it("lets a custom screen's finding reach the judge: a bare No on a prompt that screen flags is unsafe", async () => {
    const a = await assessPrompt(parseQuery(query, { screen: brandScreen }), prompt, { screen: brandScreen, judge });
    expect(a.categories).toEqual(["brand"]);
    expect(a.judge?.verdict?.category).toBe("unsafe");
    expect(a.judge?.notes?.join(" ")).toMatch(/inferred from the deterministic checks/);
    expect(a.problems).toContain("unsafe");
  });

  it("reads the same bare No as imprecise when no screen flags the prompt", async () => {
    const a = await assessPrompt(query, prompt, { screen: screenSafety, judge });
    expect(a.categories).toEqual([]);
    expect(a.judge?.verdict?.category).toBe("imprecise");
  });

  it("screens each prompt once, the judge included", async () => {
    let calls = 0;
    const counting: SafetyScreen = (text) => (calls++, brandScreen(text));
    const parsed = parseQuery(query, { screen: counting });
    calls = 0;
    await assessPrompt(parsed, prompt, { screen: counting, judge });
    expect(calls).toBe(1);
  });

  it("gives judgePrompt the injected screen directly too", async () => {
    expect((await judgePrompt(query, prompt, { model: judge, screen: brandScreen })).verdict?.category).toBe("unsafe");
    expect((await judgePrompt(query, prompt, { model: judge })).verdict?.category).toBe("imprecise");
  });
});
