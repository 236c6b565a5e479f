/**
 * `vpo data dpo --queue` end to end: a real redis-server, `vpo worker` processes with the stand-in video (0.5 s) and
 * reward commands, the scripted LLM server. The queued run's pairs equal a single-process run's; kill -9 of a worker
 * and of the coordinator and a Redis restart mid-run change nothing, and no video command runs twice for a candidate.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { BenchReport } from "../src/eval/bench/bench-report.js";
import { queueStatus } from "../src/queue/queue-status.js";
import { seededRandom } from "../src/util/random.js";
import { writeBenchStandIns } from "./fixtures/bench-stand-ins.js";
import { pipelineScript } from "./fixtures/pipeline-script.js";
import { redisBinary, startRedis, type RedisFixture } from "./fixtures/redis-server.js";
import { startScriptedServer, type ScriptedServer } from "./fixtures/scripted-server.js";
import { writeStandIns, type StandIns } from "./fixtures/stand-in-commands.js";
import { requireSystemBinary } from "./fixtures/system-binary.js";
import { runCli, startCli, type CliRun } from "./helpers/cli.js";

const canRun = requireSystemBinary(redisBinary, "vpo worker / data dpo --queue end to end (test/cli-queue.test.ts)");
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const logLines = (path: string) => (existsSync(path) ? readFileSync(path, "utf8").split("\n").filter(Boolean) : []);
const readJsonl = (path: string) => logLines(path).map((l) => JSON.parse(l) as Record<string, unknown>);

/** A record without what legitimately differs between two runs: run ids, timestamps, file paths. */
function comparable(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(comparable);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .filter(([k]) => !["runId", "createdAt", "path", "baseUrl"].includes(k))
        .map(([k, v]) => [k, comparable(v)]),
    );
  }
  return value;
}

/** 120 real queries (one line each); every eighth asks for blood in candidate 1, so the run has text pairs too. */
function queryFile(dir: string): string {
  const all = JSON.parse(readFileSync(new URL("../../shared/data/queries-dev.json", import.meta.url), "utf8")) as string[];
  const picked = all.filter((q) => !/[\n@]/.test(q) && q.length < 160).slice(0, 120);
  const path = join(dir, "queries.txt");
  writeFileSync(path, `${picked.map((q, i) => (i % 8 === 0 ? `${q} @1:blood` : q)).join("\n")}\n`);
  return path;
}

const llmArgs = (url: string) => ["--policy-base-url", url, "--policy-model", "policy", "--judge-base-url", url, "--judge-model", "judge", "--judge-retries", "0", "--policy-retries", "0", "--seed", "11", "-k", "2", "-q"];

describe.skipIf(!canRun)("vpo data dpo --queue with vpo workers", () => {
  let redis: RedisFixture;
  let server: ScriptedServer;
  let root: string;
  let queries: string;
  let reference: Record<string, unknown>[];
  let referenceVideos: number;
  const workers: CliRun[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    server = await startScriptedServer({ script: pipelineScript(), latencyMs: 5 });
    root = mkdtempSync(join(tmpdir(), "vpo-cli-queue-"));
    queries = queryFile(root);
    // The single-process run the queued ones must reproduce: same commands, three videos at a time.
    const s = writeStandIns(join(root, "ref-bin"), { fast: true, videoSleepMs: 500 });
    const r = await runCli(["data", "dpo", "--queries", queries, "--out", join(root, "ref"), ...llmArgs(server.url), "--video-cmd", s.videoCmd, "--reward-cmd", s.rewardCmd, "--video-concurrency", "3", "--reward-concurrency", "3"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    reference = readJsonl(join(root, "ref", "pairs.jsonl"));
    referenceVideos = logLines(s.videoLog).length;
  }, 300_000);

  afterEach(async () => {
    for (const w of workers.splice(0)) if (w.child.exitCode === null && w.child.signalCode === null) {
      w.child.kill("SIGINT");
      await w.done;
    }
  });

  afterAll(async () => {
    await server?.close();
    await redis?.stop();
  });

  function startWorker(queue: string, s: StandIns, cacheDir: string, name: string): CliRun {
    const run = startCli(["worker", "--queue", queue, "--video-cmd", s.videoCmd, "--reward-cmd", s.rewardCmd, "--cache-dir", cacheDir, "--name", name, "--stall-timeout", "2", "-q"]);
    workers.push(run);
    return run;
  }

  async function untilWorkers(queue: string, names: string[]): Promise<void> {
    for (;;) {
      const live = new Set((await queueStatus(queue)).workers.map((w) => w.name));
      if (names.every((n) => live.has(n))) return;
      await sleep(100);
    }
  }

  const coordinatorArgs = (queue: string, out: string, cacheDir: string) => ["data", "dpo", "--queries", queries, "--out", out, ...llmArgs(server.url), "--queue", queue, "--cache-dir", cacheDir, "--queue-backoff", "0.2"];
  const sameCommands = (records: Record<string, unknown>[], bin: string) => (JSON.parse(JSON.stringify(records).replaceAll(bin, "ref-bin")) as unknown[]).map(comparable);

  it("through three workers writes the pairs of a single-process run, each video rendered once, rendered and scored on one worker", async () => {
    expect(reference.some((p) => p.source === "text") && reference.some((p) => p.source === "video")).toBe(true);
    const queue = `${redis.url}/1`;
    const s = writeStandIns(join(root, "q-bin"), { fast: true, videoSleepMs: 500 });
    const cache = join(root, "q-cache");
    for (const name of ["gpu-1", "gpu-2", "gpu-3"]) startWorker(queue, s, cache, name);
    await untilWorkers(queue, ["gpu-1", "gpu-2", "gpu-3"]);

    const r = await runCli(coordinatorArgs(queue, join(root, "q"), cache));
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(sameCommands(readJsonl(join(root, "q", "pairs.jsonl")), "q-bin")).toEqual(sameCommands(reference, "ref-bin"));

    const videos = logLines(s.videoLog).map((l) => l.split("\t")[0]!);
    expect(new Set(videos).size).toBe(videos.length);
    expect(videos).toHaveLength(referenceVideos);
    const status = await queueStatus(queue);
    const done = status.workers.map((w) => Object.values(w.done).reduce((a, b) => a + b, 0));
    // All three took work, all of it render-and-score jobs, and none failed.
    expect(done.every((n) => n > 0)).toBe(true);
    expect(done.reduce((a, b) => a + b, 0)).toBe(referenceVideos);
    expect(status.queues.filter((q) => q.completed > 0).map((q) => q.queue.replace(/-[0-9a-f]+$/, ""))).toEqual(["render-score"]);
    expect(status.queues.every((q) => q.failed === 0 && q.waiting === 0 && q.active === 0)).toBe(true);

    const shown = await runCli(["queue", "status", "--queue", queue]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/render-score-[0-9a-f]+\s+0\s+0\s+0\s+0\s+\d+/);
    expect(shown.stdout).toMatch(/gpu-1 .*video command ×1, reward command ×1/);
  }, 300_000);

  it("survives kill -9 of a worker and of the coordinator and a Redis restart at seeded random points: same pairs, no video command twice", async () => {
    const random = seededRandom(14);
    const queue = `${redis.url}/2`;
    const s = writeStandIns(join(root, "chaos-bin"), { fast: true, videoSleepMs: 500 });
    const cache = join(root, "chaos-cache");
    const out = join(root, "chaos");
    const doomed = startWorker(queue, s, cache, "gpu-1");
    startWorker(queue, s, cache, "gpu-2");
    startWorker(queue, s, cache, "gpu-3");
    await untilWorkers(queue, ["gpu-1", "gpu-2", "gpu-3"]);
    const videosRun = () => logLines(s.videoLog).length;
    const untilVideos = async (n: number, run: CliRun) => {
      while (videosRun() < n && run.child.exitCode === null) await sleep(50);
    };
    // Three moments in the first two thirds of the work, in order: a worker dies, Redis restarts, the coordinator dies.
    const [a, b, c] = [random(), random(), random()].map((x) => Math.floor(10 + x * (referenceVideos * 0.6))).sort((x, y) => x - y) as [number, number, number];

    const coordinator = startCli(coordinatorArgs(queue, out, cache));
    await untilVideos(a, coordinator);
    doomed.child.kill("SIGKILL");
    startWorker(queue, s, cache, "gpu-4");
    await untilVideos(b, coordinator);
    await redis.stop();
    await sleep(500);
    await redis.start();
    await untilVideos(c + 2, coordinator);
    coordinator.child.kill("SIGKILL");
    expect((await coordinator.done).signal).toBe("SIGKILL");
    expect((await doomed.done).signal).toBe("SIGKILL");

    const final = await runCli(coordinatorArgs(queue, out, cache));
    expect(final.stderr).toBe("");
    expect(final.code).toBe(0);
    expect(sameCommands(readJsonl(join(out, "pairs.jsonl")), "chaos-bin")).toEqual(sameCommands(reference, "ref-bin"));
    // The stand-in logs one line per invocation, naming the candidate's own job file: none ran twice.
    const videos = logLines(s.videoLog).map((l) => l.split("\t")[0]!);
    expect(new Set(videos).size).toBe(videos.length);
    expect(videos).toHaveLength(referenceVideos);
    const status = JSON.parse((await runCli(["run", "status", out, "--json"])).stdout) as { stages: { pending: number; running: number; failed: number }[]; sessions: { started: number; crashed: number } };
    expect(status.stages.every((st) => st.pending === 0 && st.running === 0 && st.failed === 0)).toBe(true);
    expect(status.sessions).toMatchObject({ started: 2, crashed: 1 });
  }, 300_000);

  it("vpo eval bench --queue scores a suite through the workers with the report of a local run", async () => {
    const optimizer = await startScriptedServer();
    try {
      const queue = `${redis.url}/3`;
      const video = writeStandIns(join(root, "bench-bin"), { fast: true });
      const scorers = writeBenchStandIns(join(root, "bench-scorers"));
      const args = (out: string) => ["eval", "bench", "--suite", "vbench-all", "--limit", "12", "--seed", "3", "--out", out, "--system", "original", "--system", `vpo=--base-url ${optimizer.url} --model vpo --retries 0`, "-q"];
      const local = await runCli([...args(join(root, "bench-local")), "--video-cmd", video.videoCmd, "--reward-cmd", scorers.rewardCmd]);
      expect(local.code).toBe(0);
      const cache = join(root, "bench-cache");
      for (const name of ["gpu-1", "gpu-2"]) {
        workers.push(startCli(["worker", "--queue", queue, "--video-cmd", video.videoCmd, "--reward-cmd", scorers.rewardCmd, "--cache-dir", cache, "--name", name, "-q"]));
      }
      await untilWorkers(queue, ["gpu-1", "gpu-2"]);
      const queued = await runCli([...args(join(root, "bench-queued")), "--queue", queue, "--cache-dir", cache]);
      expect(queued.stderr).toBe("");
      expect(queued.code).toBe(0);
      const report = (out: string) => JSON.parse(readFileSync(join(root, out, "report.json"), "utf8")) as BenchReport;
      const comparableReport = (r: BenchReport) => ({ ...r, generatedAt: undefined, costs: undefined, video: undefined, scorer: undefined });
      expect(comparableReport(report("bench-queued"))).toEqual(comparableReport(report("bench-local")));
      expect(report("bench-queued").systems.every((sys) => sys.scored === 12)).toBe(true);
      const done = (await queueStatus(queue)).workers.map((w) => Object.values(w.done).reduce((a, b) => a + b, 0));
      expect(done.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    } finally {
      await optimizer.close();
    }
  }, 300_000);
});
