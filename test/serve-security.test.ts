import { createHash } from "node:crypto";
import { createServer as createHttpServer, type IncomingMessage } from "node:http";
import { connect } from "node:net";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ApiKeys, parseApiKeys } from "../src/server/api-keys.js";
import { createServer } from "../src/server/create-server.js";
import { startScriptedServer, type ScriptedServer } from "./fixtures/scripted-server.js";
import { json, metric, startVpo, until } from "./helpers/serve.js";

const GOOD = "sk-vpo-good-key";
const HASHED = "sk-vpo-hashed-key";
const keys = () => new ApiKeys(parseApiKeys(`# team keys\n${GOOD}\nsha256:${createHash("sha256").update(HASHED).digest("hex")}\n`, "keys.txt"));

let backend: ScriptedServer;
let vpo: Awaited<ReturnType<typeof startVpo>>;
const auth = { authorization: `Bearer ${GOOD}`, "content-type": "application/json" };

beforeAll(async () => {
  backend = await startScriptedServer();
  vpo = await startVpo(backend.url, { apiKeys: keys(), limits: { bodyLimitBytes: 4096, headersTimeoutMs: 500, bodyTimeoutMs: 1000 }, maxQueryChars: 200 });
});
afterAll(async () => {
  await vpo?.close();
  await backend?.close();
});

const post = (path: string, body: string | object, headers: Record<string, string> = auth) =>
  fetch(`${vpo.url}${path}`, { method: "POST", headers, body: typeof body === "string" ? body : JSON.stringify(body) });

/** A raw HTTP/1.1 exchange, so the path goes out exactly as written (no client-side normalisation). */
function rawRequest(port: number, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1", () => socket.write(head));
    let data = "";
    socket.on("data", (d) => (data += d.toString()));
    socket.on("end", () => resolve(data));
    socket.on("error", reject);
  });
}
const port = () => Number(new URL(vpo.url).port);

describe("authentication", () => {
  it("answers 401 without a key and with a wrong one, and serves both a raw and a sha256-hashed key", async () => {
    const none = await post("/v1/optimize", { query: "a cat" }, { "content-type": "application/json" });
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toMatch(/^Bearer/);
    expect(await json(none)).toEqual({ error: { code: "unauthorized", message: "missing API key: send Authorization: Bearer KEY" } });
    const wrong = await post("/v1/optimize", { query: "a cat" }, { ...auth, authorization: "Bearer sk-vpo-wrong" });
    expect(wrong.status).toBe(401);
    expect((await json(wrong)).error.code).toBe("unauthorized");
    expect((await post("/v1/optimize", { query: "a cat" })).status).toBe(200);
    expect((await post("/v1/optimize", { query: "a cat" }, { ...auth, authorization: `Bearer ${HASHED}` })).status).toBe(200);
    // Metrics need a key too; health checks for load balancers do not.
    expect((await fetch(`${vpo.url}/metrics`)).status).toBe(401);
    expect((await fetch(`${vpo.url}/healthz`)).status).toBe(200);
  });

  it("refuses a non-loopback address without keys unless told it is insecure", async () => {
    await expect(createServer({ model: { baseUrl: backend.url, model: "m" }, host: "0.0.0.0" })).rejects.toMatchObject({ code: "usage" });
    const open = await createServer({ model: { baseUrl: backend.url, model: "m" }, host: "0.0.0.0", insecureNoAuth: true, cache: false });
    await open.close();
  });
});

describe("request limits and validation", () => {
  it("answers an oversize body with 413", async () => {
    const r = await post("/v1/optimize", { query: "x".repeat(10_000) });
    expect(r.status).toBe(413);
    expect((await json(r)).error.code).toBe("too-large");
  });

  it("answers malformed JSON with 400 and a message a person can read", async () => {
    const r = await post("/v1/optimize", '{"query": "a cat",');
    expect(r.status).toBe(400);
    const body = await json(r);
    expect(body.error.code).toBe("input");
    expect(body.error.message).toMatch(/not valid JSON/);
  });

  it("rejects unknown fields with 400, naming them", async () => {
    const r = await post("/v1/optimize", { query: "a cat", temprature: 0.2 });
    expect(r.status).toBe(400);
    expect((await json(r)).error.message).toMatch(/Unrecognized key: "temprature"/);
    const chat = await post("/v1/chat/completions", { model: "vpo", messages: [{ role: "user", content: "a cat" }], logit_bias: {} });
    expect(chat.status).toBe(400);
  });

  it("rejects a query over the optimizer's own length limit with 400", async () => {
    const r = await post("/v1/optimize", { query: "a cat ".repeat(50) });
    expect(r.status).toBe(400);
    expect((await json(r)).error.message).toMatch(/over the limit of 200/);
  });

  it("cuts off a client that trickles its headers", async () => {
    const outcome = await new Promise<{ closedByServer: boolean; reply: string }>((resolve) => {
      const socket = connect(port(), "127.0.0.1");
      let reply = "";
      let sent = 0;
      const trickle = setInterval(() => {
        // 200 header lines at 50 ms would take 10 s; the server's headers timeout is 0.5 s.
        if (sent++ >= 200) {
          clearInterval(trickle);
          socket.destroy();
          resolve({ closedByServer: false, reply });
          return;
        }
        socket.write(sent === 1 ? "POST /v1/optimize HTTP/1.1\r\nHost: x\r\n" : `X-Slow-${sent}: y\r\n`);
      }, 50);
      socket.on("data", (d) => (reply += d.toString()));
      socket.on("close", () => {
        clearInterval(trickle);
        resolve({ closedByServer: sent <= 200, reply });
      });
      socket.on("error", () => undefined);
    });
    expect(outcome.closedByServer).toBe(true);
    expect(outcome.reply).toMatch(/^HTTP\/1.1 408/);
    // The server is still there for everyone else.
    expect((await fetch(`${vpo.url}/healthz`)).status).toBe(200);
  });
});

describe("paths and content", () => {
  it.each(["/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/%252e%252e/%252e%252e/etc/passwd", "/v1/..%2f..%2f..%2fetc%2fpasswd", "/..%5c..%5cetc%5cpasswd", "/v1/optimize/../../../etc/passwd"])(
    "answers the traversal %s with 404 JSON and no file",
    async (path) => {
      const reply = await rawRequest(port(), `GET ${path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${GOOD}\r\nConnection: close\r\n\r\n`);
      expect(reply).toMatch(/^HTTP\/1.1 404/);
      expect(reply).toMatch(/content-type: application\/json/i);
      expect(reply).toContain('"code":"not-found"');
      expect(reply).not.toMatch(/root:.*:0:0:/);
    },
  );

  it("returns a query holding <script> as JSON data, never as HTML", async () => {
    const query = '<script>alert("x")</script> a cat on a roof';
    const r = await post("/v1/optimize", { query });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toMatch(/^application\/json/);
    expect(r.headers.get("x-content-type-options")).toBe("nosniff");
    expect((await json(r)).query).toBe(query);
  });

  it("echoes a well-formed x-request-id and replaces one that is not", async () => {
    const given = await post("/v1/screen", { text: "a cat" }, { ...auth, "x-request-id": "trace-123.abc" });
    expect(given.headers.get("x-request-id")).toBe("trace-123.abc");
    const bad = await post("/v1/screen", { text: "a cat" }, { ...auth, "x-request-id": "bad id <x>" });
    expect(bad.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe("rate, capacity and time limits", () => {
  it("answers 429 with Retry-After past a key's rate limit, counting each key apart", async () => {
    const limited = await startVpo(backend.url, { apiKeys: keys(), limits: { rateLimit: { max: 2, windowMs: 60_000 } } });
    try {
      const screen = (key: string) => fetch(`${limited.url}/v1/screen`, { method: "POST", headers: { authorization: `Bearer ${key}`, "content-type": "application/json" }, body: '{"text":"a cat"}' });
      expect((await screen(GOOD)).status).toBe(200);
      expect((await screen(GOOD)).status).toBe(200);
      const third = await screen(GOOD);
      expect(third.status).toBe(429);
      expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(0);
      expect((await json(third)).error.code).toBe("rate-limited");
      expect((await screen(HASHED)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });

  it("queues up to the limit, refuses beyond it with 503 + Retry-After, and times out with 504", async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const slow = await startScriptedServer({ script: async () => (await gate, {}) });
    const small = await startVpo(slow.url, { limits: { maxInFlight: 1, maxQueued: 1, requestTimeoutMs: 60_000 } });
    try {
      const ask = (query: string) => fetch(`${small.url}/v1/optimize`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });
      const running = ask("a first cat");
      const waiting = ask("a second cat");
      await until(async () => (await metric(small.url, "vpo_requests_queued")) === 1, "one queued request");
      const refused = await ask("a third cat");
      expect(refused.status).toBe(503);
      expect(refused.headers.get("retry-after")).toBe("1");
      expect((await json(refused)).error.code).toBe("overloaded");
      open();
      expect((await running).status).toBe(200);
      expect((await waiting).status).toBe(200);
    } finally {
      open();
      await small.close();
    }
    const stuck = await startVpo(slow.url, { limits: { requestTimeoutMs: 300 } });
    let release!: () => void;
    slow.setScript(() => new Promise((resolve) => (release = () => resolve({}))));
    try {
      const r = await fetch(`${stuck.url}/v1/optimize`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"query":"a cat"}' });
      expect(r.status).toBe(504);
      expect((await json(r)).error).toEqual({ code: "timeout", message: "the request ran past its 0.3 s limit" });
    } finally {
      release?.();
      await stuck.close();
      await slow.close();
    }
  });

  it("aborts the backend request when the client disconnects", async () => {
    let backendClosed!: () => void;
    const closed = new Promise<void>((resolve) => (backendClosed = resolve));
    let received!: () => void;
    const arrived = new Promise<void>((resolve) => (received = resolve));
    // A backend that never answers and reports when vpo hangs up on it.
    const hanging = createHttpServer((req: IncomingMessage, res) => {
      req.resume();
      received();
      res.on("close", backendClosed);
    });
    await new Promise<void>((resolve) => hanging.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(hanging.address() as AddressInfo).port}/v1`;
    const server = await startVpo(url);
    try {
      const client = new AbortController();
      const request = fetch(`${server.url}/v1/optimize`, { method: "POST", headers: { "content-type": "application/json" }, body: '{"query":"a cat"}', signal: client.signal }).catch((e: unknown) => e);
      await arrived;
      client.abort();
      await request;
      await closed;
      await until(async () => (await metric(server.url, "vpo_requests_in_flight")) === 0, "the slot to be freed");
    } finally {
      await server.close();
      hanging.closeAllConnections();
      await new Promise<void>((resolve) => hanging.close(() => resolve()));
    }
  });
});
