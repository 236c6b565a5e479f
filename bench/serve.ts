/**
 * npm run bench:serve — `vpo serve` (built CLI, its own process) against the scripted backend, loopback only:
 *  1. throughput at 200 ms backend latency and 64 connections vs the ideal 64 / 0.2 s = 320 req/s (target ≥ 0.9);
 *  2. latency vpo adds over the backend (same load straight at the backend), p50 and p99 (target p99 ≤ 15 ms);
 *  3. cache-hit throughput, one seeded request (target ≥ 5,000 req/s on 2 cores);
 *  4. RSS growth of the server over 100,000 requests (cache misses on a 0 ms backend, hits, evictions; target < 50 MB),
 *     in batches of 10,000 and stopped after 5 minutes on a machine too busy to finish.
 * Each phase also prints the server's CPU time per request (from /proc), which does not depend on how busy the
 * machine is: 1000 / (CPU ms per request) is what one core of an otherwise idle machine can serve.
 *   node --import tsx bench/serve.ts [--quick]   (--quick: 5 s phases and 20,000 requests in phase 4)
 */
import autocannon, { type RequestSpec } from "autocannon";
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { queryOf, startScriptedServer } from "../test/fixtures/scripted-server.js";
import { CLI } from "../test/helpers/cli.js";

const LATENCY_MS = 200;
const CONNECTIONS = 64;
const quick = process.argv.includes("--quick");
const PHASE_S = quick ? 5 : 10;
const RSS_REQUESTS = quick ? 20_000 : 100_000;
const RSS_LIMIT_MS = 5 * 60_000;
const FAST = "fast:";
const dev = (JSON.parse(readFileSync(new URL("../../shared/data/queries-dev.json", import.meta.url), "utf8")) as string[]).map((q) => q.replace(/\s+/g, " ").trim().slice(0, 300));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The server's CPU ms per request over one load run. */
async function measured<T extends { requests: { total: number } }>(pid: number, run: () => Promise<T>): Promise<T & { cpuMs: number }> {
  const before = cpuSeconds(pid);
  const result = await run();
  return { ...result, cpuMs: ((cpuSeconds(pid) - before) * 1000) / Math.max(1, result.requests.total) };
}

function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** Bodies that cycle through dev queries; `prefix` marks the ones the backend answers at once. */
function optimizeRequests(prefix: string, seeded: boolean, distinct = dev.length): RequestSpec[] {
  let i = 0;
  return [
    {
      method: "POST",
      path: "/v1/optimize",
      headers: { "content-type": "application/json" },
      setupRequest: (request: RequestSpec) => {
        const n = i++ % distinct;
        const query = `${prefix}${dev[n % dev.length]} #${n}`;
        return { ...request, body: JSON.stringify(seeded ? { query, sampling: { seed: 1 } } : { query }) };
      },
    },
  ];
}

const ratio = (value: number, target: number) => (value / target).toFixed(3);
const ms = (v: number) => `${v.toFixed(1)} ms`;

async function main(): Promise<void> {
  const backend = await startScriptedServer({ latencyMs: LATENCY_MS, recordBodies: false, script: (req) => (queryOf(req.userText).startsWith(FAST) ? { delayMs: 0 } : {}) });
  const dir = mkdtempSync(join(tmpdir(), "vpo-bench-serve-"));
  const port = await freePort();
  const child = spawn(process.execPath, [CLI, "serve", "--port", String(port), "--base-url", backend.url, "--model", "m", "--retries", "0", "--rate-limit", "0", "--max-in-flight", "256", "--max-queue", "1024", "--cache", join(dir, "cache.sqlite"), "--cache-max-entries", "10000"], {
    stdio: ["ignore", "ignore", "ignore"],
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    for (let tries = 0; ; tries++) {
      const up = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
      if (up) break;
      if (tries > 200) throw new Error("vpo serve did not start");
      await new Promise((r) => setTimeout(r, 50));
    }
    console.log(`vpo serve (pid ${child.pid}) on ${url}; scripted backend ${backend.url} at ${LATENCY_MS} ms; ${CONNECTIONS} connections; ${PHASE_S} s phases`);

    // Warm both paths (JIT, connection pools) before measuring.
    await autocannon({ url, connections: CONNECTIONS, duration: 2, requests: optimizeRequests("", false) });

    const direct = await autocannon({
      url: backend.url.replace(/\/v1$/, ""),
      connections: CONNECTIONS,
      duration: PHASE_S,
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "User Query: a cat\n\nVideo Prompt:" }] }),
      requests: [{ path: "/v1/chat/completions" }],
    });
    const pid = child.pid!;
    const served = await measured(pid, () => autocannon({ url, connections: CONNECTIONS, duration: PHASE_S, requests: optimizeRequests("", false) }));
    const ideal = CONNECTIONS / (LATENCY_MS / 1000);
    const throughput = served.requests.average;
    console.log(`1. throughput: ${throughput.toFixed(1)} req/s vs ideal ${ideal} → ${ratio(throughput, ideal)} (target ≥ 0.9); ${served.non2xx} non-2xx, ${served.errors} errors; server CPU ${ms(served.cpuMs)}/request`);
    const addedP50 = served.latency.p50 - direct.latency.p50;
    const addedP99 = served.latency.p99 - direct.latency.p99;
    console.log(
      `2. latency: backend alone p50 ${ms(direct.latency.p50)} p99 ${ms(direct.latency.p99)}; through vpo p50 ${ms(served.latency.p50)} p99 ${ms(served.latency.p99)} → vpo adds p50 ${ms(addedP50)}, p99 ${ms(addedP99)} (target p99 ≤ 15 ms: ${addedP99 <= 15 ? "met" : "missed"})`,
    );

    const hitBody = JSON.stringify({ query: "a cat playing the piano", sampling: { seed: 7 } });
    await fetch(`${url}/v1/optimize`, { method: "POST", headers: { "content-type": "application/json" }, body: hitBody });
    const hits = await measured(pid, () => autocannon({ url, connections: CONNECTIONS, duration: PHASE_S, method: "POST", headers: { "content-type": "application/json" }, body: hitBody, requests: [{ path: "/v1/optimize" }] }));
    console.log(
      `3. cache hits: ${hits.requests.average.toFixed(0)} req/s (p50 ${ms(hits.latency.p50)}, p99 ${ms(hits.latency.p99)}) vs target 5,000 → ${ratio(hits.requests.average, 5000)}; ${hits.non2xx} non-2xx; server CPU ${ms(hits.cpuMs)}/request → ${(1000 / hits.cpuMs).toFixed(0)} req/s per idle core`,
    );

    // 20,000 distinct seeded queries through a 10,000-entry cache: misses, hits and evictions, on a 0 ms backend.
    const warm = await autocannon({ url, connections: CONNECTIONS, amount: 5_000, requests: optimizeRequests(FAST, true, 20_000) });
    const before = rssMiB(pid);
    const started = performance.now();
    const cpuBefore = cpuSeconds(pid);
    let done = 0;
    let non2xx = 0;
    while (done < RSS_REQUESTS && performance.now() - started < RSS_LIMIT_MS) {
      const batch = await autocannon({ url, connections: CONNECTIONS, amount: Math.min(10_000, RSS_REQUESTS - done), requests: optimizeRequests(FAST, true, 20_000) });
      done += batch.requests.total;
      non2xx += batch.non2xx;
    }
    const after = rssMiB(pid);
    const growth = after - before;
    const cpuMs = ((cpuSeconds(pid) - cpuBefore) * 1000) / done;
    console.log(
      `4. RSS: ${before.toFixed(1)} MiB after ${warm.requests.total} warm-up requests → ${after.toFixed(1)} MiB after ${done} more${done < RSS_REQUESTS ? ` (stopped at the ${RSS_LIMIT_MS / 60_000} min limit)` : ""} (${((performance.now() - started) / 1000).toFixed(1)} s, ${non2xx} non-2xx, server CPU ${ms(cpuMs)}/request): growth ${growth.toFixed(1)} MiB (target < 50 MB: ${growth * 1.048576 < 50 ? "met" : "missed"})`,
    );
  } finally {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.on("close", resolve));
    await backend.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
