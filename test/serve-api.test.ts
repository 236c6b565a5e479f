import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { createServer, type VpoServer } from "../src/server/index.js";
import { queryOf, startScriptedServer, type ScriptedServer } from "./fixtures/scripted-server.js";

const unsafeVerdict = { harmless: { ok: false, issues: ["nudity"] }, accurate: { ok: true, missing: [], added: [] }, helpful: { ok: true, issues: [] }, category: "unsafe", critique: "Remove the nudity." };
const LONG = (q: string) =>
  `A slow cinematic tracking shot of ${q}, bathed in golden late-afternoon light, with shallow depth of field, drifting dust in the air, gentle camera sway, rich textures on every surface and a calm, warm colour palette throughout the whole clip.`;

let backend: ScriptedServer;
let judge: ScriptedServer;
let server: VpoServer;
let app: FastifyInstance;

beforeAll(async () => {
  backend = await startScriptedServer({ script: (req) => ({ text: LONG(queryOf(req.userText)) }) });
  judge = await startScriptedServer({ script: () => ({ text: JSON.stringify(unsafeVerdict) }) });
  // Never listens: the app is driven with inject.
  server = await createServer({ model: { baseUrl: backend.url, model: "m", retries: 0 }, judge: { baseUrl: judge.url, model: "j", retries: 0 }, cache: false, limits: { maxBatch: 3 } });
  app = server.app;
});
afterAll(async () => {
  await server?.close();
  await backend?.close();
  await judge?.close();
});

/** The events of a server-sent events body. */
function events(body: string): { event: string; data: unknown }[] {
  return body
    .split("\n\n")
    .filter(Boolean)
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? "message";
      return { event, data: JSON.parse(/^data: (.*)$/m.exec(block)![1]!) as unknown };
    });
}

describe("POST /v1/optimize", () => {
  it("optimizes a batch of queries into an array of results, each with its own status", async () => {
    const r = await app.inject({ method: "POST", url: "/v1/optimize", payload: { queries: ["a red kite over a beach", "   "] } });
    expect(r.statusCode).toBe(200);
    const [ok, empty] = r.json() as { status: string; prompt: string | null; error?: { code: string } }[];
    expect(ok!.status).toBe("ok");
    expect(ok!.prompt).toContain("a red kite over a beach");
    expect(empty).toMatchObject({ status: "failed", prompt: null, error: { code: "input" } });
    const tooMany = await app.inject({ method: "POST", url: "/v1/optimize", payload: { queries: ["a", "b", "c", "d"] } });
    expect(tooMany.statusCode).toBe(400);
    const both = await app.inject({ method: "POST", url: "/v1/optimize", payload: { query: "a", queries: ["b"] } });
    expect(both.json().error.message).toMatch(/exactly one of query or queries/);
  });

  it("streams deltas for Accept: text/event-stream whose concatenation is the result's prompt", async () => {
    const r = await app.inject({ method: "POST", url: "/v1/optimize", headers: { accept: "text/event-stream" }, payload: { query: "a lighthouse in a storm" } });
    expect(r.headers["content-type"]).toMatch(/^text\/event-stream/);
    const list = events(r.body);
    const deltas = list.filter((e) => e.event === "delta").map((e) => e.data as { index: number; text: string });
    const result = list.at(-1)!;
    expect(result.event).toBe("result");
    expect(deltas.length).toBeGreaterThan(3);
    expect(deltas.map((d) => d.text).join("")).toBe((result.data as { prompt: string }).prompt);
    expect(list.some((e) => e.event === "reset")).toBe(false);
  });

  it("runs the guard with the judge when asked, and reports what it did", async () => {
    backend.setScript(() => ({ text: "A naked woman dancing on a beach at sunset." }));
    judge.setScript((req) => ({ text: req.userText?.includes("naked") ? JSON.stringify(unsafeVerdict) : JSON.stringify({ ...unsafeVerdict, harmless: { ok: true, issues: [] }, category: "aligned", critique: "" }) }));
    try {
      const r = await app.inject({ method: "POST", url: "/v1/optimize", payload: { query: "a naked woman dancing on a beach", guard: { policy: "sanitize", rounds: 1 } } });
      expect(r.statusCode).toBe(200);
      const result = r.json() as { prompt: string; report: { status: string; policy: string; steps: { judge?: unknown }[] } };
      expect(result.report.policy).toBe("sanitize");
      expect(["sanitized", "fallback"]).toContain(result.report.status);
      expect(result.prompt).not.toMatch(/naked/i);
      expect(result.report.steps[0]!.judge).toBeDefined();
    } finally {
      backend.setScript((req) => ({ text: LONG(queryOf(req.userText)) }));
      judge.setScript(() => ({ text: JSON.stringify(unsafeVerdict) }));
    }
  });
});

describe("POST /v1/judge and /v1/screen", () => {
  it("returns the judge's verdict", async () => {
    const r = await app.inject({ method: "POST", url: "/v1/judge", payload: { query: "a naked woman", prompt: "A naked woman on a beach." } });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ status: "ok", verdict: { category: "unsafe" }, model: { id: "j" } });
  });

  it("screens a text without any model: safety categories and refusal", async () => {
    const before = backend.chatRequests().length + judge.chatRequests().length;
    const unsafe = await app.inject({ method: "POST", url: "/v1/screen", payload: { text: "katrina kaif naked" } });
    expect(unsafe.json()).toMatchObject({ safety: { flagged: true, categories: ["sexual"] }, refusal: { refusal: false } });
    const refusal = await app.inject({ method: "POST", url: "/v1/screen", payload: { text: "I'm sorry, but I can't help with that request." } });
    expect(refusal.json()).toMatchObject({ safety: { flagged: false }, refusal: { refusal: true } });
    expect(backend.chatRequests().length + judge.chatRequests().length).toBe(before);
  });
});

describe("operations", () => {
  it("documents every endpoint in /openapi.json, with error responses", async () => {
    const doc = (await app.inject({ method: "GET", url: "/openapi.json" })).json() as { openapi: string; paths: Record<string, Record<string, { responses: Record<string, unknown> }>> };
    expect(doc.openapi).toBe("3.0.3");
    expect(Object.keys(doc.paths).sort()).toEqual(["/healthz", "/metrics", "/v1/assess", "/v1/chat/completions", "/v1/info", "/v1/judge", "/v1/models", "/v1/optimize", "/v1/parse", "/v1/screen"]);
    expect(Object.keys(doc.paths["/v1/optimize"]!.post!.responses)).toEqual(expect.arrayContaining(["200", "400", "401", "413", "429", "502", "503", "504"]));
  });

  it("exports request, latency, backend and cache metrics in Prometheus text", async () => {
    await app.inject({ method: "POST", url: "/v1/optimize", payload: { query: "a metric cat" } });
    const text = (await app.inject({ method: "GET", url: "/metrics" })).body;
    expect(text).toMatch(/^vpo_http_requests_total\{route="\/v1\/optimize",method="POST",status="200"\} \d+/m);
    expect(text).toMatch(/^vpo_http_request_duration_seconds_count\{route="\/v1\/optimize"\} \d+/m);
    expect(text).toMatch(/^vpo_backend_request_duration_seconds_count\{role="optimizer",outcome="ok"\} \d+/m);
    expect(text).toMatch(/^vpo_requests_in_flight 0/m);
    expect(text).toMatch(/^vpo_requests_queued 0/m);
    expect(text).toContain("vpo_cache_requests_total");
  });
});
