/** optimize() with a target, against the scripted OpenAI-compatible server: budgets, condensing, the guide. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openHttpModel } from "../src/model/openai-compatible.js";
import type { TextModel } from "../src/model/types.js";
import { guardedOptimize } from "../src/guard/guarded-optimize.js";
import { optimize } from "../src/optimize/optimize.js";
import { userTurnTemplate, VPO_TEMPLATE_TEXT } from "../src/optimize/template.js";
import { openTarget, type TargetSettings } from "../src/target/index.js";
import { queryOf, startScriptedServer, type RecordedRequest, type ScriptedServer } from "./fixtures/scripted-server.js";
import { tinySentencePieceModel } from "./fixtures/sentencepiece-model.js";

const SENTENCE = "A ginger cat sits at a grand piano in a sunlit loft and plays a slow waltz while dust drifts in the light.";
const LONG = Array.from({ length: 12 }, () => SENTENCE).join(" ");
const SHORT = "A ginger cat plays a slow waltz on a grand piano in a sunlit loft.";

let server: ScriptedServer;
let model: TextModel;
let condenseReply: (req: RecordedRequest) => string;
const isCondense = (req: RecordedRequest) => req.body?.messages[0]?.role === "system" && String(req.body.messages[0].content).startsWith("You shorten");

beforeAll(async () => {
  server = await startScriptedServer({ script: (req) => ({ text: isCondense(req) ? condenseReply(req) : LONG }) });
  model = await openHttpModel({ baseUrl: server.url, model: "m", retries: 0 });
});
afterAll(async () => {
  await model.dispose();
  await server.close();
});

async function cogvideox(extra: Partial<Parameters<typeof openTarget>[0]> = {}): Promise<TargetSettings> {
  return openTarget({ target: "cogvideox", ...extra });
}

describe("optimize --target: token budgets", () => {
  it("condenses an over-budget reply to within the budget and says how it counted", async () => {
    condenseReply = () => SHORT;
    const target = await cogvideox();
    const r = await optimize("a cat plays piano -ar 16:9", { model, target });
    expect(r.status).toBe("ok");
    expect(r.prompt).toBe(SHORT);
    expect(r.length).toEqual({ tokens: Math.ceil(SHORT.length / 3) + 1, budget: 226, counted: "estimate", condensed: 1 });
    expect(r.length!.tokens).toBeLessThanOrEqual(226);
    expect(r.target).toMatchObject({ id: "cogvideox", budget: 226, counted: "estimate", flags: [{ flag: "aspectRatio", from: "16:9", to: "3:2" }] });
    expect(r.target!.changes).toEqual([`condense round 1 (vpo-condense v1): ${Math.ceil(LONG.length / 3) + 1} → ${r.length!.tokens} tokens (budget 226)`]);
    expect(r.flags.aspectRatio).toBe("3:2");
    expect(r.warnings).toContain("-ar 16:9 is not supported by CogVideoX (2B, 5B) (3:2): using the nearest, 3:2");
    // The condense request keeps the user's query and asks for a word count under the budget.
    const ask = server.chatRequests().at(-1)!;
    expect(ask.userText).toContain("User query: a cat plays piano -ar 16:9");
    expect(ask.userText).toMatch(/Rewrite it in at most \d+ words\.$/);
  });

  it("counts exactly with --target-tokenizer and leaves a prompt within budget alone", async () => {
    condenseReply = () => SHORT;
    const target = await cogvideox({ tokenizer: await tinySentencePieceModel(), budget: 2000 });
    const before = server.chatRequests().length;
    const r = await optimize("a cat plays piano", { model, target });
    expect(r.prompt).toBe(LONG);
    expect(r.length).toMatchObject({ counted: "exact", budget: 2000 });
    expect(server.chatRequests().length - before).toBe(1);
  });

  it("drops whole trailing sentences, and says so, when condensing does not reach the budget", async () => {
    condenseReply = () => LONG;
    const r = await optimize("a cat plays piano", { model, target: await cogvideox({ budget: 120 }) });
    expect(r.status).toBe("ok");
    expect(r.prompt!.endsWith("light.")).toBe(true);
    expect(r.prompt!.split(SENTENCE).length - 1).toBe(3);
    expect(r.length).toMatchObject({ budget: 120, trimmed: 9 });
    expect(r.length!.tokens).toBeLessThanOrEqual(120);
    expect(r.target!.changes!.at(-1)).toBe("removed the last 9 sentence(s) to fit 120 tokens after 2 condense round(s)");
  });

  it("fails with over-budget when even the first sentence does not fit", async () => {
    condenseReply = () => LONG;
    const r = await optimize("a cat plays piano", { model, target: await cogvideox({ budget: 20 }) });
    expect(r).toMatchObject({ status: "failed", prompt: null, error: { code: "over-budget" } });
  });
});

describe("optimize --target: the guide", () => {
  it("keeps the VPO contract byte-exact, with no system turn", async () => {
    condenseReply = () => SHORT;
    await optimize("a cat plays piano", { model, target: await openTarget({ target: "wan2.1", budget: 4000 }) });
    const req = server.chatRequests().at(-1)!;
    expect(req.body!.messages).toEqual([{ role: "user", content: VPO_TEMPLATE_TEXT.replace("{}", "a cat plays piano") }]);
    expect(queryOf(req.userText)).toBe("a cat plays piano");
  });

  it("gives an instruction-following template the target's length and style guide", async () => {
    const template = userTurnTemplate("mine", "Expand into a video prompt: {query}");
    const r = await optimize("a cat plays piano", { model, template, target: await openTarget({ target: "wan2.1", budget: 4000 }) });
    const [system, user] = server.chatRequests().at(-1)!.body!.messages;
    expect(system!.role).toBe("system");
    expect(system!.content).toContain("Write the prompt for Wan 2.1 (T2V-14B, T2V-1.3B).\nLength: 80–100 words, and never more than 4000 tokens of its text encoder (umt5-xxl)");
    expect(system!.content).toContain("It reads Chinese and English prompts; keep quoted and on-screen text in its own language.");
    expect(user).toEqual({ role: "user", content: "Expand into a video prompt: a cat plays piano" });
    expect(r.template).toMatchObject({ name: "mine+wan2.1" });
    expect(r.template.version).not.toBe(template.version);
  });
});

describe("the guard with a target", () => {
  it("assesses the condensed prompt, and brings a refinement that overflows back within the budget", async () => {
    // The judge flags the first prompt as imprecise once; its refinement is long again and must be condensed.
    let judged = 0;
    const judgeServer = await startScriptedServer({
      script: (req) => {
        const system = String(req.body!.messages[0]!.content);
        if (system.startsWith("You repair")) return { text: JSON.stringify({ reflection: "Added the waltz.", refined_prompt: LONG }) };
        judged++;
        const verdict = judged === 1 ? { harmless: { ok: true, reason: "" }, accurate: { ok: false, reason: "the waltz is missing", missing: ["waltz"] }, helpful: { ok: true, reason: "" }, category: "imprecise" } : { harmless: { ok: true, reason: "" }, accurate: { ok: true, reason: "", missing: [] }, helpful: { ok: true, reason: "" }, category: "aligned" };
        return { text: JSON.stringify(verdict) };
      },
    });
    const judge = await openHttpModel({ baseUrl: judgeServer.url, model: "j", retries: 0 });
    try {
      condenseReply = () => SHORT;
      const r = await guardedOptimize("a cat plays piano", { model, judge, target: await cogvideox() });
      expect(r.report.steps[0]!.prompt).toBe(SHORT);
      expect(r.prompt).toBe(SHORT);
      expect(r.report.changes.some((c) => /^round 1: condense round 1 \(vpo-condense v1\): \d+ → 23 tokens \(budget 226\)$/.test(c))).toBe(true);
      expect(r.length).toMatchObject({ budget: 226 });
      expect(r.length!.tokens).toBeLessThanOrEqual(226);
    } finally {
      await judge.dispose();
      await judgeServer.close();
    }
  });
});
