import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { queryOf, startScriptedServer, type ScriptedServer } from "../../test/fixtures/scripted-server.js";
import { openHttpModel } from "../model/openai-compatible.js";
import type { TextModel } from "../model/types.js";
import { screenSafety, type SafetyScreen } from "../safety/screen-safety.js";
import { guardedOptimize } from "./guarded-optimize.js";

/** A deployment's own policy on top of the lexicon: one brand must never appear. */
const brandScreen: SafetyScreen = (text) => {
  const base = screenSafety(text);
  const at = text.toLowerCase().indexOf("acme cola");
  if (at < 0) return base;
  const match = { category: "brand", term: "acme cola", text: text.slice(at, at + 9), start: at, end: at + 9 };
  return { flagged: true, categories: [...base.categories, "brand"], matches: [...base.matches, match] };
};

let optimizer: ScriptedServer;
let judgeServer: ScriptedServer;
let model: TextModel;
let judge: TextModel;

beforeAll(async () => {
  optimizer = await startScriptedServer({ script: (req) => ({ text: `A sunny beach where ${queryOf(req.userText)}, waves rolling in.` }) });
  // A terse judge: a bare No for any prompt naming the brand. Asked to repair, it drops the brand.
  judgeServer = await startScriptedServer({
    script: (req) => {
      if (String(req.body!.messages[0]!.content).startsWith("You repair")) return { text: JSON.stringify({ reflection: "Dropped the brand.", refined_prompt: "A man on a sunny beach drinks from a plain red can, waves rolling in." }) };
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

describe("guardedOptimize with a custom screen", () => {
  it("lets the custom screen's finding settle the judge's bare No, then refines it away", async () => {
    const r = await guardedOptimize("a man drinking acme cola", { model, judge, screen: brandScreen, rounds: 1 });
    expect(r.report.steps[0]!.judge!.verdict!.category).toBe("unsafe");
    expect(r.report.steps[0]!.refine).toBeUndefined();
    expect(r.report.steps[1]!.refine!.critique).toMatch(/Remove these unsafe elements completely: acme cola/);
    expect(r.report).toMatchObject({ status: "sanitized", categories: ["brand"], rounds: 1 });
    expect(r.prompt).not.toMatch(/acme/i);
  });

  it("carries the query's flag readings into the result", async () => {
    const r = await guardedOptimize("a red fox in the snow -air 16:9", { model });
    expect(r.flags.aspectRatio).toBe("16:9");
    expect(r.warnings).toEqual(["read `-air 16:9` as `-ar 16:9`"]);
  });
});
