import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiKeys, parseApiKeys } from "../src/server/api-keys.js";
import { startScriptedServer, type ScriptedServer } from "./fixtures/scripted-server.js";
import { json, startVpo } from "./helpers/serve.js";

const KEY = "sk-vpo-playground";
const auth = { authorization: `Bearer ${KEY}`, "content-type": "application/json" };
const aligned = { harmless: { ok: true, issues: [] }, accurate: { ok: true, missing: [], added: [] }, helpful: { ok: true, issues: [] }, category: "aligned", critique: "" };

let backend: ScriptedServer;
let judge: ScriptedServer;
let vpo: Awaited<ReturnType<typeof startVpo>>;
let noJudge: Awaited<ReturnType<typeof startVpo>>;

beforeAll(async () => {
  backend = await startScriptedServer();
  judge = await startScriptedServer({ script: () => ({ text: JSON.stringify(aligned) }) });
  const apiKeys = new ApiKeys(parseApiKeys(`${KEY}\n`, "keys.txt"));
  vpo = await startVpo(backend.url, { apiKeys, judge: { baseUrl: judge.url, model: "judge-m", retries: 0 }, limits: { bodyLimitBytes: 4096 }, maxQueryChars: 300 });
  noJudge = await startVpo(backend.url);
});
afterAll(async () => {
  await vpo?.close();
  await noJudge?.close();
  await backend?.close();
  await judge?.close();
});

const post = (path: string, body: string | object, headers: Record<string, string> = auth, base = vpo.url) =>
  fetch(`${base}${path}`, { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) });

describe("GET /v1/info", () => {
  it("names the optimizer and judge models, the presets and the guard policies", async () => {
    const r = await fetch(`${vpo.url}/v1/info`, { headers: auth });
    expect(r.status).toBe(200);
    const info = await json(r);
    expect(info.model).toMatchObject({ id: "m" });
    expect(info.judge).toMatchObject({ id: "judge-m" });
    expect(info.presets).toContain("official");
    expect(info.guard).toMatchObject({ policies: ["sanitize", "refuse", "pass-through"], byDefault: false });
    expect((await json(await fetch(`${noJudge.url}/v1/info`))).judge).toBeNull();
  });
});

describe("POST /v1/parse", () => {
  it("reads the typed flags, the intent items and the unsafe spans of a query, with no model call", async () => {
    const before = backend.chatRequests().length + judge.chatRequests().length;
    const r = await post("/v1/parse", { query: 'three naked dancers on a "Blue Moon" stage -ar 16:9 -neg blurry faces -camera zoom in' });
    expect(r.status).toBe(200);
    const parsed = await json(r);
    expect(parsed.flags).toMatchObject({ aspectRatio: "16:9", negativePrompt: "blurry faces", camera: "zoom in" });
    expect(parsed.text).not.toContain("-ar");
    const kinds = parsed.intent.items.map((i: { kind: string; text: string }) => `${i.kind}:${i.text}`);
    expect(kinds).toEqual(expect.arrayContaining(["number:three", "quoted:Blue Moon"]));
    expect(parsed.safety.categories).toEqual(["sexual"]);
    const match = parsed.safety.matches[0];
    expect(parsed.query.slice(match.start, match.end)).toBe(match.text);
    expect(backend.chatRequests().length + judge.chatRequests().length).toBe(before);
  });

  it("answers 400 for an empty, over-long or non-string query, and for unknown fields", async () => {
    for (const body of [{ query: "   " }, { query: "x".repeat(301) }, { query: 42 }, { query: "a cat", extra: 1 }, {}]) {
      const r = await post("/v1/parse", body);
      expect(r.status, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect((await json(r)).error.code).toBe("input");
    }
  });
});

describe("POST /v1/assess", () => {
  it("re-checks an edited prompt: a dropped count and quoted text are missing, an added unsafe word is flagged", async () => {
    const query = 'three dogs chasing a "SALE" balloon in a park';
    const good = await json(await post("/v1/assess", { query, prompt: 'Three playful dogs chase a red balloon printed with "SALE" across a sunny park.', judge: false }));
    expect(good.problems).toEqual([]);
    expect(good.intent.passed).toBe(true);
    expect(good.judge).toBeUndefined();
    const bad = await json(await post("/v1/assess", { query, prompt: "Dogs chase a balloon through a park, one of them naked and bloody.", judge: false }));
    expect(bad.intent.missing).toEqual(expect.arrayContaining(["three", "SALE"]));
    expect(bad.problems).toEqual(expect.arrayContaining(["unsafe", "imprecise"]));
    const flagged = bad.unsafe.map((m: { text: string }) => m.text);
    expect(flagged).toEqual(expect.arrayContaining(["naked"]));
  });

  it("asks the judge when the server has one and the request does not say no", async () => {
    const before = judge.chatRequests().length;
    const r = await json(await post("/v1/assess", { query: "a red fox in the snow", prompt: "A red fox trots through fresh snow at dawn, breath misting in the cold air." }));
    expect(r.judge).toMatchObject({ status: "ok", verdict: { category: "aligned" }, model: { id: "judge-m" } });
    expect(judge.chatRequests().length).toBe(before + 1);
    const without = await json(await post("/v1/assess", { query: "a red fox", prompt: "A red fox in snow." }, { "content-type": "application/json" }, noJudge.url));
    expect(without.judge).toBeUndefined();
    expect(without.intent.coverage).toBe(1);
  });

  it("refuses a missing or wrong key, an oversize body and wrong types", async () => {
    const body = { query: "a cat", prompt: "A cat." };
    expect((await post("/v1/assess", body, { "content-type": "application/json" })).status).toBe(401);
    expect((await post("/v1/assess", body, { ...auth, authorization: "Bearer sk-wrong" })).status).toBe(401);
    expect((await post("/v1/parse", { query: "a cat" }, { ...auth, authorization: "Bearer sk-wrong" })).status).toBe(401);
    expect((await fetch(`${vpo.url}/v1/info`)).status).toBe(401);
    const big = await post("/v1/assess", { query: "a cat", prompt: "x ".repeat(3000) });
    expect(big.status).toBe(413);
    expect((await json(big)).error.code).toBe("too-large");
    for (const wrong of [{ query: "a cat", prompt: 7 }, { query: ["a"], prompt: "A cat." }, { query: "a cat", prompt: "" }, { query: "a cat", prompt: "A cat.", judge: "yes" }, { query: "a cat", prompt: "A cat.", minCoverage: 2 }]) {
      const r = await post("/v1/assess", wrong);
      expect(r.status, JSON.stringify(wrong)).toBe(400);
    }
    const notJson = await post("/v1/assess", "{not json");
    expect(notJson.status).toBe(400);
  });
});
