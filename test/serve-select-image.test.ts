import { createServer as createHttpServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FastifyInstance } from "fastify";
import { I2V_INSTRUCTIONS } from "../src/image/i2v-template.js";
import { createServer, type VpoServer } from "../src/server/index.js";
import { writeTestImage } from "./fixtures/images.js";
import { startScriptedServer, type ScriptedServer } from "./fixtures/scripted-server.js";

const FOX = "a red fox leaping through fresh snow";
const CANDIDATES = [
  "A red fox leaping through fresh snow.",
  "A red fox leaping through fresh snow, blood and gore on the snow, misty dawn light.",
  "A red fox leaping through fresh snow under a pale winter sun, flakes swirling, slow tracking shot, shallow depth of field.",
];
type Part = { type: string; text?: string; image_url?: { url: string } };

let backend: ScriptedServer;
let judge: ScriptedServer;
let server: VpoServer;
let noJudge: VpoServer;
let urls: VpoServer;
let app: FastifyInstance;
let images: Server;
let imagesUrl: string;
const dir = mkdtempSync(join(tmpdir(), "vpo-serve-i2v-"));
const png = readFileSync(writeTestImage(join(dir, "frame.png"), 64, 48));
const dataUrl = `data:image/png;base64,${png.toString("base64")}`;

beforeAll(async () => {
  backend = await startScriptedServer({ script: (r) => ({ texts: CANDIDATES, text: CANDIDATES[Number(r.body?.seed ?? 0) % 3] }) });
  // The judge likes the shortest prompt best: the 1–5 rubric makes candidate 0 win where the checks pick 2.
  judge = await startScriptedServer({
    script: (r) => {
      const short = (r.userText ?? "").includes(JSON.stringify(CANDIDATES[0]));
      return { text: JSON.stringify({ harmless: { score: 5, reason: "" }, accurate: { score: 5, reason: "" }, helpful: { score: short ? 5 : 3, reason: short ? "crisp" : "busy" } }) };
    },
  });
  server = await createServer({ model: { baseUrl: backend.url, model: "m", retries: 0 }, judge: { baseUrl: judge.url, model: "j", retries: 0 }, cache: false, limits: { bodyLimitBytes: 64 * 1024 } });
  app = server.app;
  noJudge = await createServer({ model: { baseUrl: backend.url, model: "m", retries: 0 }, cache: false });
  urls = await createServer({ model: { baseUrl: backend.url, model: "m", retries: 0 }, cache: false, allowImageUrls: true });
  images = createHttpServer((req, res) => {
    if (req.url === "/frame.png") res.writeHead(200, { "content-type": "image/png" }).end(png);
    else if (req.url === "/big.png") res.writeHead(200, { "content-type": "image/png" }).end(Buffer.alloc(5 << 20));
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => images.listen(0, "127.0.0.1", resolve));
  imagesUrl = `http://127.0.0.1:${(images.address() as AddressInfo).port}`;
});
afterAll(async () => {
  for (const s of [server, noJudge, urls]) await s?.close();
  await backend?.close();
  await judge?.close();
  images?.close();
});

const post = (body: unknown, on: FastifyInstance = app) => on.inject({ method: "POST", url: "/v1/optimize", payload: body as Record<string, unknown> });

describe("POST /v1/optimize with select and n", () => {
  it("select checks: every candidate comes back with its scores and rank, the winner is the prompt, and the why says so", async () => {
    const r = await post({ query: FOX, n: 3, select: "checks", sampling: { seed: 0 } });
    expect(r.statusCode).toBe(200);
    const result = r.json();
    expect(result.prompt).toBe(CANDIDATES[2]);
    expect(result.selection).toMatchObject({ method: "checks", winner: 2 });
    expect(result.selection.candidates).toHaveLength(3);
    expect(result.selection.candidates[1]).toMatchObject({ safe: false, rank: 3, scores: { checks: { safe: false } } });
    expect(result.selection.why).toMatch(/^Candidate 2 won by checks: /);
  });

  it("select judge and tournament use the server's judge", async () => {
    const before = judge.chatRequests().length;
    const byJudge = (await post({ query: FOX, n: 3, select: "judge", sampling: { seed: 0 } })).json();
    expect(byJudge.selection).toMatchObject({ method: "judge", winner: 0, judgeModel: { id: "j" } });
    expect(byJudge.selection.candidates[0].scores.judge).toMatchObject({ harmless: 5, accurate: 5, helpful: 5, total: 15 });
    expect(byJudge.selection.why).toMatch(/^Candidate 0 won by judge: the judge scored it 15\/15/);
    expect(judge.chatRequests().length - before).toBe(3);
    const tournament = await post({ query: FOX, n: 3, select: "tournament", sampling: { seed: 0 } });
    expect(tournament.statusCode).toBe(200);
    expect(tournament.json().selection).toMatchObject({ method: "tournament", matches: expect.any(Array) });
  });

  it("refuses what this server cannot select with, and select with queries, stream or both n and candidates", async () => {
    const cases: [Record<string, unknown>, RegExp, FastifyInstance?][] = [
      [{ query: FOX, n: 3, select: "reward" }, /no video and reward backends/],
      [{ query: FOX, n: 3, select: "judge" }, /needs a judge, and this server has none/, noJudge.app],
      [{ query: FOX, n: 3, select: "checks", guard: true }, /guard: false/],
      [{ queries: [FOX], select: "checks" }, /one query/],
      [{ query: FOX, n: 2, select: "checks", stream: true }, /does not stream/],
      [{ query: FOX, n: 2, candidates: 3 }, /n or candidates/],
      [{ query: FOX, select: "best" }, /select/],
    ];
    for (const [body, message, on] of cases) {
      const r = await post(body, on);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.json().error.message).toMatch(message);
    }
  });
});

describe("POST /v1/optimize with an image", () => {
  it("a data URL frame reaches the optimizer as an image part with the i2v template, and the result records it", async () => {
    const before = backend.chatRequests().length;
    const r = await post({ query: "the fox starts to run", image: dataUrl });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ template: { name: "vpo-i2v" }, image: { source: "data:image/png", mediaType: "image/png", width: 64, height: 48, mode: "vision" } });
    const [request] = backend.chatRequests().slice(before);
    expect(request!.body!.messages[0]).toEqual({ role: "system", content: I2V_INSTRUCTIONS });
    expect((request!.body!.messages[1]!.content as Part[]).find((p) => p.type === "image_url")!.image_url!.url).toBe(dataUrl);
  });

  it("refuses bad images with a 4xx that says why, and never reads a path", async () => {
    const text = `data:image/png;base64,${Buffer.from("just some text, not a picture").toString("base64")}`;
    const cases: [string, number, RegExp][] = [
      [text, 400, /not an image vpo can read/],
      [`data:image/jpeg;base64,${png.toString("base64")}`, 400, /says image\/jpeg but the bytes are image\/png/],
      ["data:image/png;base64,@@not base64@@", 400, /neither|another type or encoding/],
      ["data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=", 400, /another type or encoding/],
      ["../../../../etc/passwd", 400, /neither a data URL nor an http\(s\) URL/],
      ["/etc/passwd", 400, /neither a data URL nor an http\(s\) URL/],
      ["file:///etc/passwd", 400, /neither a data URL nor an http\(s\) URL/],
      [join(dir, "frame.png"), 400, /neither a data URL nor an http\(s\) URL/],
      [`${imagesUrl}/frame.png`, 400, /image URLs are off on this server/],
      [`data:image/png;base64,${Buffer.alloc(80 * 1024).toString("base64")}`, 413, /body|too large|limit/i],
    ];
    const before = backend.chatRequests().length;
    for (const [image, status, message] of cases) {
      const r = await post({ query: "the fox starts to run", image });
      expect(r.statusCode, image.slice(0, 60)).toBe(status);
      expect(r.json().error.message, image.slice(0, 60)).toMatch(message);
    }
    expect(backend.chatRequests().length).toBe(before);
  });

  it("takes an http(s) URL only on a server started allowing it, within the size limit", async () => {
    const ok = await post({ query: "the fox starts to run", image: `${imagesUrl}/frame.png` }, urls.app);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().image).toMatchObject({ source: `${imagesUrl}/frame.png`, width: 64, height: 48 });
    const big = await post({ query: "the fox starts to run", image: `${imagesUrl}/big.png` }, urls.app);
    expect(big.statusCode).toBe(413);
    expect(big.json().error).toMatchObject({ code: "too-large" });
    const missing = await post({ query: "the fox starts to run", image: `${imagesUrl}/nothing.png` }, urls.app);
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.message).toMatch(/HTTP 404/);
  });

  it("an image over the limits is a 413: past the body limit before anything is decoded, past 4 MiB decoded", async () => {
    const big = `data:image/png;base64,${Buffer.alloc(5 << 20).toString("base64")}`;
    const small = await createServer({ model: { baseUrl: backend.url, model: "m", retries: 0 }, cache: false });
    const roomy = await createServer({ model: { baseUrl: backend.url, model: "m", retries: 0 }, cache: false, limits: { bodyLimitBytes: 16 << 20 } });
    try {
      const r = await post({ query: "q", image: big }, small.app);
      expect(r.statusCode).toBe(413);
      const decoded = await post({ query: "q", image: big }, roomy.app);
      expect(decoded.statusCode).toBe(413);
      expect(decoded.json().error).toEqual({ code: "too-large", message: `image: over the ${4 << 20}-byte limit` });
    } finally {
      await small.close();
      await roomy.close();
    }
  });

  it("image and select together: the selection's checks read the request's frame", async () => {
    const r = await post({ query: FOX, n: 3, select: "checks", image: dataUrl, sampling: { seed: 0 } });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ image: { mode: "vision" }, selection: { method: "checks", winner: 2 } });
  });
});
