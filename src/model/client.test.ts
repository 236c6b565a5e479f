import { afterEach, describe, expect, it } from "vitest";
import { deadUrl, startScriptedServer, type ScriptedServer } from "../../test/fixtures/scripted-server.js";
import { AbortedError, BackendError } from "../errors.js";
import { openHttpModel } from "./openai-compatible.js";

let server: ScriptedServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

const hello = [{ role: "user" as const, content: "hello" }];

describe("HTTP backend (OpenAI-compatible)", () => {
  it("sends the user message as a plain string and returns text and usage", async () => {
    server = await startScriptedServer({ script: () => ({ text: "a prompt" }) });
    const model = await openHttpModel({ baseUrl: server.url, model: "m" });
    const result = await model.generate({ messages: hello, sampling: { temperature: 0.7, topP: 1, seed: 3, maxTokens: 50 } });
    expect(result).toMatchObject({ text: "a prompt", finishReason: "stop", usage: { requests: 1 } });
    const body = server.chatRequests()[0]!.body!;
    expect(body.messages).toEqual([{ role: "user", content: "hello" }]);
    expect(body).toMatchObject({ model: "m", temperature: 0.7, top_p: 1, seed: 3, max_tokens: 50 });
  });

  it("retries 5xx and honours Retry-After on 429", async () => {
    server = await startScriptedServer({
      script: (_r, nth) => (nth === 0 ? { status: 503 } : nth === 1 ? { status: 429, headers: { "retry-after": "0.3" } } : { text: "ok" }),
    });
    const model = await openHttpModel({ baseUrl: server.url, model: "m", retryDelayMs: 10, retries: 3 });
    const result = await model.generate({ messages: hello });
    expect(result.text).toBe("ok");
    expect(result.usage.requests).toBe(3);
    const [, second, third] = server.chatRequests();
    expect(third!.receivedAt - second!.receivedAt).toBeGreaterThanOrEqual(280);
  });

  it("gives up after the retries with one line naming the URL and status", async () => {
    server = await startScriptedServer({ script: () => ({ status: 500, rawBody: '{"error":{"message":"boom"}}' }) });
    const model = await openHttpModel({ baseUrl: server.url, model: "m", retryDelayMs: 1, retries: 2 });
    const error = await model.generate({ messages: hello }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as BackendError).message).toMatch(new RegExp(`^backend ${server.url}/chat/completions failed: HTTP 500.*boom.*after 3 attempts`));
    expect((error as BackendError).message).not.toContain("\n");
    expect(server.chatRequests()).toHaveLength(3);
  });

  it("does not retry a 400", async () => {
    server = await startScriptedServer({ script: () => ({ status: 400 }) });
    const model = await openHttpModel({ baseUrl: server.url, model: "m", retryDelayMs: 1 });
    await expect(model.generate({ messages: hello })).rejects.toThrow(/HTTP 400/);
    expect(server.chatRequests()).toHaveLength(1);
  });

  it("times out each attempt and retries it", async () => {
    server = await startScriptedServer({ script: (_r, nth) => (nth === 0 ? { delayMs: 10_000, text: "late" } : { text: "fast" }) });
    const model = await openHttpModel({ baseUrl: server.url, model: "m", timeoutMs: 1500, retryDelayMs: 1 });
    const result = await model.generate({ messages: hello });
    expect(result.text).toBe("fast");
    expect(result.usage.requests).toBe(2);
  });

  it("reports a malformed body as a backend error", async () => {
    server = await startScriptedServer({ script: () => ({ rawBody: "{not json" }) });
    const model = await openHttpModel({ baseUrl: server.url, model: "m", retries: 0 });
    await expect(model.generate({ messages: hello })).rejects.toBeInstanceOf(BackendError);
  });

  it("names the URL when nothing listens", async () => {
    const url = await deadUrl();
    const model = await openHttpModel({ baseUrl: url, model: "m", retries: 1, retryDelayMs: 1 });
    await expect(model.generate({ messages: hello })).rejects.toThrow(new RegExp(`^backend ${url}/chat/completions failed: .*(ECONNREFUSED|connect)`));
  });

  it("aborts in flight and rejects with AbortedError", async () => {
    server = await startScriptedServer({ latencyMs: 5000 });
    const model = await openHttpModel({ baseUrl: server.url, model: "m" });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(model.generate({ messages: hello, signal: controller.signal })).rejects.toBeInstanceOf(AbortedError);
  });

  it("keeps at most `concurrency` requests in flight", async () => {
    let inFlight = 0;
    let peak = 0;
    server = await startScriptedServer({
      script: async () => {
        peak = Math.max(peak, ++inFlight);
        await new Promise((r) => setTimeout(r, 250));
        inFlight--;
        return { text: "x" };
      },
    });
    const model = await openHttpModel({ baseUrl: server.url, model: "m", concurrency: 3 });
    await Promise.all(Array.from({ length: 12 }, () => model.generate({ messages: hello })));
    expect(peak).toBe(3);
  });

  it("sends a JSON schema as response_format", async () => {
    server = await startScriptedServer({ script: () => ({ text: '{"ok":true}' }) });
    const model = await openHttpModel({ baseUrl: server.url, model: "m" });
    const schema = { type: "object", properties: { ok: { type: "boolean" } }, required: ["ok"] } as const;
    await model.generate({ messages: hello, jsonSchema: schema });
    expect(server.chatRequests()[0]!.body!.response_format).toMatchObject({ type: "json_schema", json_schema: { schema } });
  });

  it("picks the only model a server lists when none is named, and refuses to guess among several", async () => {
    server = await startScriptedServer({ models: ["only-one"] });
    expect((await openHttpModel({ baseUrl: server.url })).info.id).toBe("only-one");
    await server.close();
    server = await startScriptedServer({ models: ["a", "b"] });
    await expect(openHttpModel({ baseUrl: server.url })).rejects.toThrow(/serves 2 models \(a, b\); pass --model/);
  });
});
