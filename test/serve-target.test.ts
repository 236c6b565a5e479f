/** POST /v1/optimize with a `target`: the budget, the flag mapping, and an unknown target's 400. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { createServer, type VpoServer } from "../src/server/index.js";
import { startScriptedServer, type ScriptedServer } from "./fixtures/scripted-server.js";

const LONG = Array.from({ length: 8 }, () => "A knight in silver armour rides a white horse across a misty moor at dawn.").join(" ");
const SHORT = "A knight in silver armour rides a white horse across a misty moor at dawn.";

let backend: ScriptedServer;
let server: VpoServer;
let app: FastifyInstance;

beforeAll(async () => {
  backend = await startScriptedServer({ script: (req) => ({ text: String(req.body?.messages[0]?.content).startsWith("You shorten") ? SHORT : LONG }) });
  server = await createServer({ model: { baseUrl: backend.url, model: "m", retries: 0 }, cache: false });
  app = server.app;
});
afterAll(async () => {
  await server?.close();
  await backend?.close();
});

describe("POST /v1/optimize with a target", () => {
  it("fits the prompt to the target's budget and maps -ar to what it supports", async () => {
    const r = await app.inject({ method: "POST", url: "/v1/optimize", payload: { query: "a knight at dawn -ar 1:1", target: "ltx-video" } });
    expect(r.statusCode).toBe(200);
    const body = r.json() as { prompt: string; length: { tokens: number; budget: number; counted: string }; flags: { aspectRatio: string }; target: { id: string } };
    expect(body.prompt).toBe(SHORT);
    expect(body.length).toMatchObject({ budget: 128, counted: "estimate", condensed: 1 });
    expect(body.length.tokens).toBeLessThanOrEqual(128);
    expect(body.target.id).toBe("ltx-video");
    // LTX-Video takes any ratio: the flag passes through.
    expect(body.flags.aspectRatio).toBe("1:1");
    const wan = (await app.inject({ method: "POST", url: "/v1/optimize", payload: { query: "a knight at dawn -ar 1:1", target: "wan" } })).json() as { flags: { aspectRatio: string }; prompt: string };
    expect(wan.flags.aspectRatio).toBe("16:9");
    expect(wan.prompt).toBe(LONG);
  });

  it("answers 400 for an unknown target, naming the known ones", async () => {
    const r = await app.inject({ method: "POST", url: "/v1/optimize", payload: { query: "a knight", target: "sora" } });
    expect(r.statusCode).toBe(400);
    expect(r.json()).toMatchObject({ error: { code: "usage", message: expect.stringContaining('unknown target "sora"; known targets: cogvideox') } });
  });
});
