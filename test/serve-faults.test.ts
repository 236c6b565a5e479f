import { afterEach, describe, expect, it } from "vitest";
import { startScriptedServer, type ScriptedReply, type ScriptedServer } from "./fixtures/scripted-server.js";
import { json, spawnServe, startVpo, until } from "./helpers/serve.js";

let backend: ScriptedServer | undefined;
let vpo: Awaited<ReturnType<typeof startVpo>> | undefined;
afterEach(async () => {
  await vpo?.close();
  await backend?.close();
  vpo = backend = undefined;
});

const optimize = (url: string, query = "a cat on a skateboard") =>
  fetch(`${url}/v1/optimize`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });

describe("backend failures become per-request errors, and the server recovers", () => {
  it("maps a backend 500 to 502, a 429 to 503 with Retry-After, and names no backend internals", async () => {
    let reply: ScriptedReply = { status: 500, rawBody: '{"error":{"message":"CUDA out of memory at /srv/secret/model"}}' };
    backend = await startScriptedServer({ script: () => reply });
    vpo = await startVpo(backend.url);
    const failed = await optimize(vpo.url);
    expect(failed.status).toBe(502);
    const body = (await json(failed)) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("backend");
    expect(body.error.message).not.toMatch(/127\.0\.0\.1|secret|CUDA/);
    expect(body.error.message).toContain(failed.headers.get("x-request-id")!);
    reply = { status: 429, headers: { "retry-after": "0" } };
    const limited = await optimize(vpo.url);
    expect(limited.status).toBe(503);
    expect(limited.headers.get("retry-after")).toBe("5");
    expect((await json(limited)).error.code).toBe("backend");
    reply = {};
    const ok = await optimize(vpo.url);
    expect(ok.status).toBe(200);
    expect((await json(ok)).prompt).toContain("a cat on a skateboard");
  });

  it("maps a backend that does not answer in time to 504", async () => {
    let release!: () => void;
    const never = new Promise<void>((resolve) => (release = resolve));
    backend = await startScriptedServer({ script: async () => (await never, {}) });
    vpo = await startVpo(backend.url, { model: { baseUrl: backend.url, model: "m", retries: 0, timeoutMs: 300 } });
    try {
      const r = await optimize(vpo.url);
      expect(r.status).toBe(504);
      expect((await json(r)).error).toMatchObject({ code: "backend", message: expect.stringMatching(/did not answer in time/) });
    } finally {
      release();
    }
  });

  it("answers every request of a backend killed mid-load with 502, stays up, and serves again when it is back", async () => {
    let open!: () => void;
    let gate = new Promise<void>((resolve) => (open = resolve));
    let dead = true;
    backend = await startScriptedServer({ script: async () => (await gate, dead ? { drop: true } : {}) });
    vpo = await startVpo(backend.url);
    const load = Array.from({ length: 12 }, (_, i) => optimize(vpo!.url, `query number ${i}`));
    try {
      await until(() => backend!.chatRequests().length === 12, "12 requests at the backend");
    } finally {
      open();
    }
    const answers = await Promise.all(load);
    expect(answers.map((r) => r.status)).toEqual(Array(12).fill(502));
    expect((await fetch(`${vpo.url}/healthz`)).status).toBe(200);
    dead = false;
    gate = Promise.resolve();
    const again = await Promise.all(Array.from({ length: 4 }, (_, i) => optimize(vpo!.url, `query number ${i}`)));
    expect(again.map((r) => r.status)).toEqual([200, 200, 200, 200]);
  });

  it("reports an unreachable backend in /healthz (503 with the reason) and per request (502)", async () => {
    backend = await startScriptedServer();
    vpo = await startVpo(backend.url);
    expect((await fetch(`${vpo.url}/healthz`)).status).toBe(200);
    await backend.close();
    backend = undefined;
    const health = await fetch(`${vpo.url}/healthz`);
    expect(health.status).toBe(503);
    expect(await json(health)).toEqual({ status: "unavailable", reason: "the model backend does not answer" });
    expect((await optimize(vpo.url)).status).toBe(502);
  });
});

describe("vpo serve shutdown", () => {
  it("answers every accepted request after SIGTERM, then exits 0", async () => {
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    backend = await startScriptedServer({ script: async () => (await gate, {}) });
    const serve = await spawnServe(["--base-url", backend.url, "--model", "m", "--retries", "0", "--no-cache", "--log-json"]);
    const load = Array.from({ length: 16 }, (_, i) => optimize(serve.url, `a drain test query ${i}`));
    await until(() => backend!.chatRequests().length === 16, "16 requests at the backend").catch((error: unknown) => {
      open();
      serve.child.kill("SIGKILL");
      throw error;
    });
    serve.child.kill("SIGTERM");
    await until(() => serve.stderr().includes("draining"), "the drain to start");
    // New connections are refused while the accepted requests finish.
    await expect(fetch(`${serve.url}/healthz`)).rejects.toThrow();
    open();
    const answers = await Promise.all(load);
    expect(answers.map((r) => r.status)).toEqual(Array(16).fill(200));
    const prompts = await Promise.all(answers.map(async (r) => ((await json(r)) as { prompt: string }).prompt));
    prompts.forEach((p, i) => expect(p).toContain(`a drain test query ${i}`));
    const exit = await serve.done;
    expect(exit.code).toBe(0);
    const lines = exit.stderr.split("\n").filter(Boolean).map((l) => JSON.parse(l) as { message: string; status?: number; requestId?: string });
    expect(lines.filter((l) => l.message.startsWith("POST /v1/optimize 200"))).toHaveLength(16);
    expect(lines.every((l) => !JSON.stringify(l).includes("Bearer"))).toBe(true);
    expect(lines.at(-1)!.message).toBe("vpo serve: stopped");
  });
});
