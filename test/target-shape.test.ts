/** A target profile meets prompt shaping: its defaults fill the shaping options, and condensing keeps protected terms. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openHttpModel } from "../src/model/openai-compatible.js";
import type { TextModel } from "../src/model/types.js";
import { optimize } from "../src/optimize/optimize.js";
import { openTarget } from "../src/target/index.js";
import { builtinTargets } from "../src/target/registry.js";
import { startScriptedServer, type RecordedRequest, type ScriptedServer } from "./fixtures/scripted-server.js";

const SENTENCE = "Rain streaks past a narrow alley where a flickering neon sign hums above a shuttered noodle bar at night.";
const LONG = `${Array.from({ length: 12 }, () => SENTENCE).join(" ")} The sign reads "OPEN LATE" in pink letters.`;
const SHORT = "Rain streaks past a neon sign above a shuttered noodle bar at night.";

let server: ScriptedServer;
let model: TextModel;
const isCondense = (req: RecordedRequest) => req.body?.messages[0]?.role === "system" && String(req.body.messages[0].content).startsWith("You shorten");

beforeAll(async () => {
  server = await startScriptedServer({ script: (req) => ({ text: isCondense(req) ? SHORT : LONG }) });
  model = await openHttpModel({ baseUrl: server.url, model: "m", retries: 0 });
});
afterAll(async () => {
  await model.dispose();
  await server.close();
});

describe("a target profile's shaping defaults", () => {
  it("puts the profile's default negative prompt into the result, beside the query's -neg terms", async () => {
    const wan = builtinTargets().find((p) => p.id === "wan2.1")!;
    expect(wan.negativePrompt).toBeTruthy();
    const r = await optimize("a neon sign in the rain -neg watermark", { model, target: await openTarget({ target: "wan2.1" }), lang: "en" });
    expect(r.status).toBe("ok");
    expect(r.negativePrompt).toContain("watermark");
    // The profile's default is in, term by term (its own separators may differ from ", ").
    const firstDefault = wan.negativePrompt!.split(/[,，]/)[0]!.trim();
    expect(r.negativePrompt).toContain(firstDefault);
    expect(r.negative!.terms.some((t) => t.source !== "query")).toBe(true);
  });

  it("an explicit option beats the profile's default", async () => {
    const r = await optimize("a neon sign in the rain", { model, target: await openTarget({ target: "wan2.1" }), lang: "en", defaultNegative: "lens flare" });
    expect(r.negativePrompt).toBe("lens flare");
  });
});

describe("condensing to the budget keeps protected terms", () => {
  it("puts back a quoted term the condensed prompt lost, says so, and re-counts the length", async () => {
    const target = await openTarget({ target: "cogvideox", budget: 60 });
    const r = await optimize('a neon sign saying "OPEN LATE" in the rain', { model, target });
    expect(r.status).toBe("ok");
    expect(r.prompt).toContain(SHORT.slice(0, -1));
    expect(r.prompt).toContain("OPEN LATE");
    expect(r.protectedTerms).toEqual([expect.objectContaining({ text: "OPEN LATE", kept: "inserted" })]);
    expect(r.warnings?.some((w) => w.includes('"OPEN LATE"') && w.includes("put back verbatim"))).toBe(true);
    expect(r.length!.tokens).toBe(target.counter.count(r.prompt!));
  });
});
