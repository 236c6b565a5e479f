import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startScriptedServer, type ScriptedServer } from "../../../test/fixtures/scripted-server.js";
import { openHttpModel } from "../../model/openai-compatible.js";
import type { ModelClient } from "../../model/client.js";
import { classifySafety } from "./classify-safety.js";
import { detectClassifierFormat } from "./detect-format.js";

let server: ScriptedServer;
let model: ModelClient;
beforeAll(async () => {
  server = await startScriptedServer();
  model = await openHttpModel({ baseUrl: server.url, model: "guard", retries: 0 });
});
afterAll(async () => {
  await model.dispose();
  await server.close();
});

const QUERY = "Donald Trump being beaten bloody by a mob";
const reply = (text: string) => server.setScript(() => ({ text }));

describe("classifySafety over HTTP: qwen3guard", () => {
  it("sends the card's instructions in one user turn and reads Safety and Categories", async () => {
    reply("Safety: Unsafe\nCategories: Violent");
    const before = server.chatRequests().length;
    const r = await classifySafety(model, "qwen3guard", QUERY);
    expect(r).toMatchObject({ status: "ok", format: "qwen3guard", model: "guard", verdict: { level: "unsafe", categories: ["violence"], labels: ["Violent"] } });
    const [sent] = server.chatRequests().slice(before);
    expect(sent!.body!.messages).toHaveLength(1);
    expect(sent!.userText).toContain(`USER: ${QUERY}`);
    expect(sent!.userText).toContain("'Safety: Safe', 'Safety: Unsafe', 'Safety: Controversial'");
    expect(sent!.body!.temperature).toBe(0);
  });

  it("reads Controversial with several categories, and a think block before it", async () => {
    reply("<think>\n\n</think>\n\nSafety: Controversial\nCategories: Sexual Content or Sexual Acts, Politically Sensitive Topics");
    const r = await classifySafety(model, "qwen3guard", "a senator in lingerie");
    expect(r.verdict).toEqual({ level: "controversial", categories: ["sexual", "political"], labels: ["Sexual Content or Sexual Acts", "Politically Sensitive Topics"] });
  });

  it("sends the bare text when the server's chat template adds the instructions", async () => {
    reply("Safety: Safe\nCategories: None");
    const before = server.chatRequests().length;
    const r = await classifySafety(model, "qwen3guard", "a cat on a piano", { style: "chat-template" });
    expect(r.verdict?.level).toBe("safe");
    expect(server.chatRequests().slice(before)[0]!.userText).toBe("a cat on a piano");
  });

  it.each([
    ["a bare word", "Unsafe"],
    ["an unknown category", "Safety: Unsafe\nCategories: Gore"],
    ["safe with categories", "Safety: Safe\nCategories: Violent"],
    ["prose around it", "I think the answer is Safety: Unsafe"],
  ])("records %s as a failure, never safe", async (_what, text) => {
    reply(text);
    const r = await classifySafety(model, "qwen3guard", QUERY);
    expect(r.status).toBe("failed");
    expect(r.verdict).toBeUndefined();
    expect(r.error).toMatchObject({ code: "model-output" });
    expect(r.replies).toEqual([text]);
  });
});

describe("classifySafety over HTTP: llamaguard3", () => {
  it("sends the card's S1–S14 list and reads unsafe with codes", async () => {
    reply("unsafe\nS1,S5");
    const before = server.chatRequests().length;
    const r = await classifySafety(model, "llamaguard3", QUERY);
    expect(r.verdict).toEqual({ level: "unsafe", categories: ["violence", "public-figure"], labels: ["S1", "S5"] });
    const text = server.chatRequests().slice(before)[0]!.userText!;
    expect(text).toContain("S14: Code Interpreter Abuse.");
    expect(text).toContain(`User: ${QUERY}`);
    expect(text).toContain("First line must read 'safe' or 'unsafe'.");
  });

  it("reads safe", async () => {
    reply("safe");
    expect((await classifySafety(model, "llamaguard3", "a dog")).verdict).toEqual({ level: "safe", categories: [], labels: [] });
  });

  it.each([
    ["a code out of range", "unsafe\nS15"],
    ["safe with codes", "safe\nS1"],
    ["a sentence", "This content is unsafe."],
    ["a refusal", "I'm sorry, but I can't help with that request."],
    ["an empty reply", ""],
  ])("records %s as a failure", async (_what, text) => {
    reply(text);
    const r = await classifySafety(model, "llamaguard3", QUERY);
    expect(r.status).toBe("failed");
    expect(r.verdict).toBeUndefined();
  });

  it("names a refusal as one", async () => {
    reply("I'm sorry, but I can't help with that request.");
    const r = await classifySafety(model, "llamaguard3", QUERY);
    expect(r.error?.message).toMatch(/refused instead of classifying/);
  });

  it("records a backend failure as a failure with the backend's code", async () => {
    server.setScript(() => ({ status: 500 }));
    const r = await classifySafety(model, "llamaguard3", QUERY);
    expect(r).toMatchObject({ status: "failed", error: { code: "backend" } });
  });
});

describe("classifySafety over HTTP: shieldgemma", () => {
  it("asks once per harm policy and names the policies answered Yes", async () => {
    server.setScript((req) => ({ text: /"No Harassment"|"No Dangerous Content"/.test(req.userText ?? "") ? "Yes. The prompt describes a real person beaten." : "No" }));
    const before = server.chatRequests().length;
    const r = await classifySafety(model, "shieldgemma", QUERY);
    const sent = server.chatRequests().slice(before);
    expect(sent).toHaveLength(4);
    for (const req of sent) {
      expect(req.userText).toMatch(/^You are a policy expert trying to help determine whether a user prompt is in violation/);
      expect(req.userText).toContain(`Human Question: ${QUERY}`);
    }
    expect(r.verdict?.level).toBe("unsafe");
    expect(r.verdict?.categories.sort()).toEqual(["dangerous", "harassment"]);
    // No log-probabilities through the TextModel seam: the verdict is the Yes/No text, with no probability.
    expect(r.verdict?.probability).toBeUndefined();
  });

  it("is safe only when every policy answers No", async () => {
    reply("No");
    expect((await classifySafety(model, "shieldgemma", "a cat")).verdict).toEqual({ level: "safe", categories: [], labels: [] });
  });

  it("fails when any answer does not start with Yes or No", async () => {
    server.setScript((req) => ({ text: /"No Hate Speech"/.test(req.userText ?? "") ? "Maybe" : "No" }));
    const r = await classifySafety(model, "shieldgemma", QUERY);
    expect(r.status).toBe("failed");
    expect(r.error?.message).toMatch(/shieldgemma reply is not an answer starting with 'Yes' or 'No'/);
  });
});

describe("detectClassifierFormat", () => {
  it.each([
    ["Qwen/Qwen3Guard-Gen-4B", "qwen3guard"],
    ["qwen3guard-gen-0.6b-q8_0.gguf", "qwen3guard"],
    ["meta-llama/Llama-Guard-3-8B", "llamaguard3"],
    ["llama-guard3:1b", "llamaguard3"],
    ["google/shieldgemma-2b", "shieldgemma"],
    ["CCCCCC/VPO-5B", undefined],
  ])("%s → %s", (name, format) => {
    expect(detectClassifierFormat({ name })).toBe(format);
  });

  it("reads the chat template when the name says nothing", () => {
    expect(detectClassifierFormat({ name: "model.gguf", chatTemplate: "... 'Safety: Controversial' ..." })).toBe("qwen3guard");
    expect(detectClassifierFormat({ name: "model.gguf", chatTemplate: "<BEGIN UNSAFE CONTENT CATEGORIES>\nS1: Violent Crimes." })).toBe("llamaguard3");
  });
});
