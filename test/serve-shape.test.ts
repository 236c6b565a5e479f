import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { parse } from "yaml";
import { createServer, type VpoServer } from "../src/server/index.js";
import { queryOf, startScriptedServer, type ScriptedServer } from "./fixtures/scripted-server.js";

let backend: ScriptedServer;
let server: VpoServer;
let app: FastifyInstance;

beforeAll(async () => {
  backend = await startScriptedServer({
    script: (req) => {
      const first = String(req.body!.messages[0]!.content);
      if (first.startsWith("Split this video prompt")) {
        return { text: JSON.stringify({ shots: [{ description: "A kite rises over the dunes", action: "it climbs", camera: "low angle", duration: 2 }, { description: "The kite loops against the sky", action: "it dives", camera: "tilt up", duration: 2 }] }) };
      }
      if (req.body!.messages.length > 1) return { text: "A red kite over the dunes, ohwx kite tugging at its line in the wind." };
      return { text: `A red kite dances over ${queryOf(req.userText).replace(/ -.*/, "")}, wind rippling the sand.` };
    },
  });
  server = await createServer({ model: { baseUrl: backend.url, model: "m", retries: 0 }, cache: false });
  app = server.app;
});
afterAll(async () => {
  await server?.close();
  await backend?.close();
});

describe("POST /v1/optimize with shaping fields", () => {
  it("passes keep, negatives and format through and answers the prompt spec", async () => {
    const r = await app.inject({ method: "POST", url: "/v1/optimize", payload: { query: "a kite over the dunes -neg people -ar 21:9", keep: ["ohwx kite"], format: "json" } });
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.protectedTerms).toEqual([{ text: "ohwx kite", source: "keep", kept: "re-asked" }]);
    expect(body.spec).toEqual({
      prompt: "A red kite over the dunes, ohwx kite tugging at its line in the wind.",
      negativePrompt: "people",
      flags: { aspectRatio: "21:9" },
      language: { detected: "en", output: "en" },
      status: "ok",
    });
  });

  it("plans shots and formats YAML", async () => {
    const r = await app.inject({ method: "POST", url: "/v1/optimize", payload: { query: "a kite over the dunes", shots: 2, format: "yaml" } });
    expect(r.statusCode).toBe(200);
    expect(r.json().shots).toHaveLength(2);
    expect(parse(r.json().formatted)).toMatchObject({
      prompt: "Shot 1 (0-2s, camera: low angle): A kite rises over the dunes. Action: it climbs.\nShot 2 (2-4s, camera: tilt up): The kite loops against the sky. Action: it dives.",
      shots: [{ camera: "low angle", duration: 2 }, { camera: "tilt up", duration: 2 }],
    });
  });

  it("rejects a language that is not an ISO 639-1 code, and too many shots", async () => {
    expect((await app.inject({ method: "POST", url: "/v1/optimize", payload: { query: "a kite", lang: "chinese" } })).statusCode).toBe(400);
    expect((await app.inject({ method: "POST", url: "/v1/optimize", payload: { query: "a kite", shots: 40 } })).statusCode).toBe(400);
    const unknown = await app.inject({ method: "POST", url: "/v1/optimize", payload: { query: "a kite", lang: "qq" } });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.code).toBe("usage");
  });
});
