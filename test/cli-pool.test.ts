import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { EndpointStats } from "../src/model/types.js";
import { pipelineScript } from "./fixtures/pipeline-script.js";
import { deadUrl, startScriptedServer, type ReplyScript, type ScriptedServer } from "./fixtures/scripted-server.js";
import { createServer } from "../src/server/index.js";
import { runCli } from "./helpers/cli.js";

const servers: ScriptedServer[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

const tmp = () => mkdtempSync(join(tmpdir(), "vpo-pool-"));
const QUERIES = Array.from({ length: 24 }, (_, i) => `a paper boat number ${i} drifting down a rainy street`);

async function start(script: ReplyScript): Promise<ScriptedServer> {
  const s = await startScriptedServer({ script, latencyMs: 20 });
  servers.push(s);
  return s;
}

/** Three endpoints playing the pipeline's roles; the second one shuts down (server closed) at its `killAt`-th request. */
async function poolWithOneKilled(killAt: number): Promise<{ urls: string; killed: ScriptedServer }> {
  const script = pipelineScript();
  const a = await start(script);
  const killed: ScriptedServer = await start((request, nth) => {
    if (nth === killAt) {
      void killed.close();
      return { drop: true };
    }
    return script(request, nth);
  });
  const c = await start(script);
  return { urls: [a.url, killed.url, c.url].join(","), killed };
}

const prompts = (file: string) =>
  readFileSync(file, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { prompt: string }).prompt);

describe("LLM endpoint pools", () => {
  it("vpo data sft over three endpoints, one killed mid-run: the run completes with the records of a one-server run, and the summary shows the ejection", async () => {
    const root = tmp();
    const queries = join(root, "queries.txt");
    writeFileSync(queries, `${QUERIES.join("\n")}\n`);
    const args = (out: string, url: string) => ["data", "sft", "--queries", queries, "--out", out, "--teacher-base-url", url, "--teacher-model", "teacher", "--judge-base-url", url, "--judge-model", "judge", "--teacher-concurrency", "2", "--judge-concurrency", "2", "--json", "-q"];

    const single = await start(pipelineScript());
    const reference = await runCli(args(join(root, "reference"), single.url));
    expect(reference.code).toBe(0);

    const { urls, killed } = await poolWithOneKilled(4);
    const run = await runCli(args(join(root, "pooled"), urls));
    expect(run.stderr).toMatch(new RegExp(`endpoint ${killed.url.replace(/[/.]/g, "\\$&")} ejected from the pool: 3 failures in a row`));
    expect(run.code).toBe(0);
    const summary = JSON.parse(run.stdout) as { records: number; endpoints: Record<string, EndpointStats[]> };
    expect(summary.records).toBe(QUERIES.length);
    expect(prompts(join(root, "pooled", "sft.jsonl"))).toEqual(prompts(join(root, "reference", "sft.jsonl")));
    for (const role of ["teacher", "judge"]) {
      const [a, b, c] = summary.endpoints[role]!;
      expect(b).toMatchObject({ baseUrl: killed.url, ejections: 1, admitted: false });
      expect(b!.failures).toBeGreaterThanOrEqual(3);
      expect(a!.requests).toBeGreaterThan(0);
      expect(c!.requests).toBeGreaterThan(0);
      expect(a!.failures + c!.failures).toBe(0);
    }
    // Every teacher and judge request of the run was answered by a live endpoint: one answer per query and role.
    const answered = summary.endpoints.teacher!.reduce((n, e) => n + e.requests - e.failures, 0);
    expect(answered).toBe(QUERIES.length);
  });

  it("vpo optimize --input over a pool with one endpoint killed: every item ok, the closing log counts requests per endpoint", async () => {
    const root = tmp();
    const input = join(root, "queries.txt");
    writeFileSync(input, `${QUERIES.join("\n")}\n`);
    const { urls, killed } = await poolWithOneKilled(3);
    const run = await runCli(["optimize", "--input", input, "--output", join(root, "out.jsonl"), "--base-url", urls, "--model", "vpo", "-c", "2"]);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/done: 24 ok, 0 failed/);
    const lines = run.stderr.split("\n").filter((l) => l.startsWith("optimizer "));
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(new RegExp(`^optimizer ${killed.url.replace(/[/.]/g, "\\$&")}: \\d+ requests, [3-9]\\d* failed, 1 ejection \\(out of the pool now\\)$`));
    expect(lines[0]).toMatch(/: \d+ requests, 0 failed, 0 ejections$/);
  });

  it("vpo serve over a pool is healthy while one endpoint is in the rotation", async () => {
    const live = await start(() => ({}));
    const [deadA, deadB] = [await deadUrl(), await deadUrl()];
    const healthy = await createServer({ model: { baseUrl: `${deadA},${live.url}`, model: "m" }, cache: false });
    const down = await createServer({ model: { baseUrl: `${deadA},${deadB}`, model: "m" }, cache: false });
    try {
      expect((await healthy.app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
      const r = await down.app.inject({ method: "GET", url: "/healthz" });
      expect(r.statusCode).toBe(503);
      expect(r.json()).toMatchObject({ reason: "no endpoint of the model pool answers" });
    } finally {
      await healthy.close();
      await down.close();
    }
  });
});
