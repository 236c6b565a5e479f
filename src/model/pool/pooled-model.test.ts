import { afterEach, describe, expect, it } from "vitest";
import { deadUrl, startScriptedServer, type ScriptedServer } from "../../../test/fixtures/scripted-server.js";
import { BackendError } from "../../errors.js";
import { openModel } from "../open-model.js";
import { openPooledModel } from "./open-pooled-model.js";
import type { PoolEvent } from "./pooled-model.js";

const servers: ScriptedServer[] = [];
const disposers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const d of disposers.splice(0)) await d();
  for (const s of servers.splice(0)) await s.close();
});

async function server(options: Parameters<typeof startScriptedServer>[0] = {}): Promise<ScriptedServer> {
  const s = await startScriptedServer(options);
  servers.push(s);
  return s;
}

async function pool(urls: string[], options: Partial<Parameters<typeof openPooledModel>[0]> = {}) {
  const model = await openPooledModel({ baseUrls: urls, model: "scripted-model", retryDelayMs: 1, cooldownMs: 60_000, ...options });
  disposers.push(() => model.dispose());
  return model;
}

const ask = (text: string) => ({ messages: [{ role: "user" as const, content: text }] });

/** Resolves at the first pool event of `type` for `url`. */
function eventWaiter() {
  const waiting: { match: (e: PoolEvent) => boolean; resolve: (e: PoolEvent) => void }[] = [];
  const seen: PoolEvent[] = [];
  return {
    seen,
    onEvent: (e: PoolEvent) => {
      seen.push(e);
      for (const w of waiting.filter((w) => w.match(e))) w.resolve(e);
    },
    next: (type: PoolEvent["type"], url: string) =>
      new Promise<PoolEvent>((resolve) => {
        const match = (e: PoolEvent) => e.type === type && e.baseUrl === url;
        const past = seen.find(match);
        if (past) resolve(past);
        else waiting.push({ match, resolve });
      }),
  };
}

describe("endpoint pool", () => {
  it("sends a request to the endpoint with the fewest in flight", async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const a = await server({ script: async () => (await held, { text: "from a" }) });
    const b = await server({ script: () => ({ text: "from b" }) });
    const model = await pool([a.url, b.url]);
    const slow = model.generate(ask("first"));
    // a holds the first request; every later one goes to b, which has none in flight.
    for (let i = 0; i < 5; i++) expect((await model.generate(ask(`q${i}`))).text).toBe("from b");
    release();
    expect((await slow).text).toBe("from a");
    expect(a.chatRequests()).toHaveLength(1);
    expect(b.chatRequests()).toHaveLength(5);
    expect(model.endpointStats().map((e) => [e.requests, e.inFlight])).toEqual([[1, 0], [5, 0]]);
  });

  it("never runs more than its limit at once on one endpoint, and the pool's concurrency is the sum", async () => {
    const live = new Map<string, number>();
    const peak = new Map<string, number>();
    const counting = (name: string) => async () => {
      live.set(name, (live.get(name) ?? 0) + 1);
      peak.set(name, Math.max(peak.get(name) ?? 0, live.get(name)!));
      await new Promise((r) => setTimeout(r, 5));
      live.set(name, live.get(name)! - 1);
      return { text: name };
    };
    const a = await server({ script: counting("a") });
    const b = await server({ script: counting("b") });
    const c = await server({ script: counting("c") });
    const model = await pool([a.url, b.url, c.url], { concurrency: 2 });
    expect(model.concurrency).toBe(6);
    const texts = (await Promise.all(Array.from({ length: 30 }, (_, i) => model.generate(ask(`q${i}`))))).map((r) => r.text);
    expect(texts).toHaveLength(30);
    for (const name of ["a", "b", "c"]) expect(peak.get(name)).toBeLessThanOrEqual(2);
    expect(new Set(texts)).toEqual(new Set(["a", "b", "c"]));
    expect(model.endpointStats().reduce((n, e) => n + e.requests, 0)).toBe(30);
  });

  it("retries a failed request on another endpoint and ejects an endpoint after N failures in a row", async () => {
    const a = await server({ script: () => ({ status: 503 }) });
    const b = await server({ script: () => ({ text: "from b" }) });
    const events = eventWaiter();
    const model = await pool([a.url, b.url], { ejectAfter: 2, retries: 0, onEvent: events.onEvent });
    const results = [];
    for (let i = 0; i < 6; i++) results.push(await model.generate(ask(`q${i}`)));
    expect(results.every((r) => r.text === "from b")).toBe(true);
    // The first two requests tried a first (fewest requests, pool order), failed there and moved on: two attempts each.
    expect(results.map((r) => r.usage.requests)).toEqual([2, 2, 1, 1, 1, 1]);
    expect(a.chatRequests()).toHaveLength(2);
    const [statsA, statsB] = model.endpointStats();
    expect(statsA).toMatchObject({ requests: 2, failures: 2, ejections: 1, admitted: false });
    expect(statsB).toMatchObject({ requests: 6, failures: 0, ejections: 0, admitted: true });
    expect(events.seen[0]).toMatchObject({ type: "ejected", baseUrl: a.url });
    expect((events.seen[0] as { reason: string }).reason).toMatch(/2 failures in a row.*503/);
  });

  it("re-admits an ejected endpoint once its cool-down is over and its health check passes", async () => {
    let down = true;
    const a = await server({ script: () => (down ? { status: 500 } : { text: "from a" }) });
    const b = await server({ script: () => ({ text: "from b" }) });
    const events = eventWaiter();
    const model = await pool([a.url, b.url], { ejectAfter: 1, cooldownMs: 10, onEvent: events.onEvent });
    expect((await model.generate(ask("q0"))).text).toBe("from b");
    await events.next("ejected", a.url);
    down = false;
    await events.next("readmitted", a.url);
    expect(a.requests.some((r) => r.method === "GET" && r.path.endsWith("/models"))).toBe(true);
    // Back in the rotation with fewer requests than b, a takes the next one.
    expect((await model.generate(ask("q1"))).text).toBe("from a");
    expect(model.endpointStats()[0]).toMatchObject({ ejections: 1, admitted: true });
  });

  it("keeps an endpoint out while its health check fails", async () => {
    // a shuts down at its first request (it stops listening at once), so every health check after it is refused.
    const a: ScriptedServer = await server({
      script: () => {
        void a.close();
        return { drop: true };
      },
    });
    const b = await server();
    const events = eventWaiter();
    const model = await pool([a.url, b.url], { ejectAfter: 1, cooldownMs: 10, onEvent: events.onEvent });
    await model.generate(ask("q0"));
    await events.next("ejected", a.url);
    const still = await events.next("still-down", a.url);
    expect((still as { reason: string }).reason).toMatch(/unreachable/);
    expect(model.endpointStats()[0]!.admitted).toBe(false);
    for (let i = 0; i < 3; i++) await model.generate(ask(`q${i}`));
    expect(b.chatRequests()).toHaveLength(4);
  });

  it("starts an endpoint that fails its first health check ejected, and takes the model name from a healthy one", async () => {
    const dead = await deadUrl();
    const b = await server({ models: ["only-model"] });
    const model = await openPooledModel({ baseUrls: [dead, b.url], cooldownMs: 60_000 });
    disposers.push(() => model.dispose());
    expect(model.info).toMatchObject({ id: "only-model", baseUrl: `${dead},${b.url}` });
    expect(model.endpointStats()[0]).toMatchObject({ admitted: false, ejections: 1, requests: 0 });
    await model.generate(ask("q"));
    expect(b.chatRequests()[0]!.body!.model).toBe("only-model");
  });

  it("does not count or move a request the server rejects as bad (a 400 fails on any endpoint)", async () => {
    const a = await server({ script: () => ({ status: 400 }) });
    const b = await server();
    const model = await pool([a.url, b.url]);
    await expect(model.generate(ask("q"))).rejects.toMatchObject({ code: "backend", status: 400 });
    expect(b.chatRequests()).toHaveLength(0);
    expect(model.endpointStats()[0]).toMatchObject({ requests: 1, failures: 0, admitted: true });
  });

  it("fails with the last error after every endpoint failed in every round", async () => {
    const a = await server({ script: () => ({ status: 502 }) });
    const b = await server({ script: () => ({ status: 502 }) });
    const model = await pool([a.url, b.url], { retries: 1, ejectAfter: 10 });
    const error = await model.generate(ask("q")).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as BackendError).message).toMatch(/HTTP 502.*pool of 2 endpoints, 4 attempts/);
    expect(a.chatRequests().length + b.chatRequests().length).toBe(4);
  });

  it("is what openModel opens for a comma-separated --base-url, while one URL stays a plain client", async () => {
    const a = await server();
    const b = await server();
    const pooled = await openModel({ baseUrl: `${a.url},${b.url}`, model: "scripted-model" });
    disposers.push(() => pooled.dispose());
    expect(pooled.endpointStats?.()).toHaveLength(2);
    const single = await openModel({ baseUrl: a.url, model: "scripted-model" });
    disposers.push(() => single.dispose());
    expect(single.endpointStats).toBeUndefined();
    expect(single.info.baseUrl).toBe(a.url);
  });

  it("refuses the same endpoint twice", async () => {
    const a = await server();
    await expect(openPooledModel({ baseUrls: [a.url, `${a.url}/`], model: "m" })).rejects.toMatchObject({ code: "usage" });
  });

  it("a request waiting for a slot is aborted by its signal, and the slots go on serving", async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const a = await server({ script: async () => (await held, { text: "a" }) });
    const b = await server({ script: async () => (await held, { text: "b" }) });
    const model = await pool([a.url, b.url], { concurrency: 1 });
    const busy = [model.generate(ask("q0")), model.generate(ask("q1"))];
    const controller = new AbortController();
    const waiting = model.generate({ ...ask("q2"), signal: controller.signal });
    controller.abort();
    await expect(waiting).rejects.toMatchObject({ code: "aborted" });
    release();
    expect((await Promise.all(busy)).map((r) => r.text).sort()).toEqual(["a", "b"]);
    expect(model.endpointStats().map((e) => e.inFlight)).toEqual([0, 0]);
  });
});
