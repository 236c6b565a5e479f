import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Queue } from "bullmq";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { AbortedError, QueueError, UsageError } from "../src/errors.js";
import { openQueueFeedback, type QueueFeedback } from "../src/queue/open-queue-feedback.js";
import { queueStatus } from "../src/queue/queue-status.js";
import { runWorker, type RunningWorker } from "../src/queue/run-worker.js";
import { serveWorkerMetrics } from "../src/queue/worker-metrics.js";
import { sha256File } from "../src/util/files.js";
import { redisBinary, startRedis, type RedisFixture } from "./fixtures/redis-server.js";
import { writeStandIns } from "./fixtures/stand-in-commands.js";
import { requireSystemBinary } from "./fixtures/system-binary.js";

const canRun = requireSystemBinary(redisBinary, "the BullMQ queue (test/queue-library.test.ts)");
const logLines = (path: string) => (existsSync(path) ? readFileSync(path, "utf8").split("\n").filter(Boolean) : []);
const tmp = () => mkdtempSync(join(tmpdir(), "vpo-queue-"));

describe.skipIf(!canRun)("the scale-out queue (BullMQ on a real redis-server)", () => {
  let redis: RedisFixture;
  let workers: RunningWorker[] = [];
  let feedbacks: QueueFeedback[] = [];
  // Each test gets its own Redis database, so queues and worker records never leak between tests.
  let db = 0;
  const url = () => `${redis.url}/${db}`;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterEach(async () => {
    await Promise.all(feedbacks.map((f) => f.dispose()));
    await Promise.all(workers.map((w) => w.close(true)));
    workers = [];
    feedbacks = [];
    db++;
  });
  afterAll(async () => redis?.stop());

  async function worker(cacheDir: string, commands: { videoCmd?: string; rewardCmd?: string }, name: string): Promise<RunningWorker> {
    const w = await runWorker({ queue: url(), name, cacheDir, ...(commands.videoCmd ? { video: { command: commands.videoCmd } } : {}), ...(commands.rewardCmd ? { reward: { command: commands.rewardCmd } } : {}), stallMs: 5000 });
    workers.push(w);
    return w;
  }

  async function coordinator(cacheDir: string, options: { attempts?: number } = {}): Promise<QueueFeedback> {
    const f = await openQueueFeedback({ queue: url(), cacheDir, attempts: options.attempts ?? 2, backoffMs: 20, pollMs: 500 });
    feedbacks.push(f);
    return f;
  }

  it("renders and scores a candidate on one worker, records the worker's backend ids, verifies the file by hash, and serves a repeat from the shared cache", async () => {
    const root = tmp();
    const s = writeStandIns(join(root, "bin"), { fast: true });
    const cache = join(root, "cache");
    await worker(cache, s, "gpu-a");
    const f = await coordinator(cache);
    expect(f.combined).toBe(true);
    expect(f.video!.info).toEqual({ kind: "command", id: `cmd:${s.videoCmd}` });
    expect(f.reward!.info.id).toContain(`cmd:${s.rewardCmd}`);

    const request = { prompt: "A wide shot of a red fox in snow", query: "a red fox in snow", seed: 7 };
    const video = await f.video!.generate(request);
    expect(video.path.startsWith(join(cache, "videos"))).toBe(true);
    expect(await sha256File(video.path)).toBe(video.sha256);
    const reward = await f.reward!.score({ videoPath: video.path, videoSha256: video.sha256, query: request.query, prompt: request.prompt });
    expect(reward.answers).toHaveLength(64);
    // Scored where it was rendered: the reward command saw the worker's own file.
    expect(logLines(s.rewardLog)).toEqual([video.path]);

    const again = await f.video!.generate(request);
    expect(again).toMatchObject({ sha256: video.sha256, cached: true });
    expect(await f.reward!.score({ videoPath: again.path, videoSha256: again.sha256, query: request.query, prompt: request.prompt })).toMatchObject({ score: reward.score, cached: true });
    expect(logLines(s.videoLog)).toHaveLength(1);
    expect(logLines(s.rewardLog)).toHaveLength(1);
  }, 60_000);

  it("sends separate video and reward jobs to workers that have one backend each", async () => {
    const root = tmp();
    const s = writeStandIns(join(root, "bin"), { fast: true });
    const cache = join(root, "cache");
    await worker(cache, { videoCmd: s.videoCmd }, "renderer");
    await worker(cache, { rewardCmd: s.rewardCmd }, "scorer");
    const f = await coordinator(cache);
    expect(f.combined).toBe(false);
    const request = { prompt: "A close-up of a hummingbird", query: "a hummingbird", seed: 1 };
    const video = await f.video!.generate(request);
    const reward = await f.reward!.score({ videoPath: video.path, videoSha256: video.sha256, ...request });
    expect(reward.answers).toHaveLength(64);
    const status = await queueStatus(url());
    expect(status.workers.map((w) => [w.name, Object.values(w.done).reduce((a, b) => a + b, 0)])).toEqual([["renderer", 1], ["scorer", 1]]);
    expect(status.queues.map((q) => [q.queue.split("-")[0], q.completed, q.backends])).toEqual([["reward", 1, [f.reward!.info.id]], ["video", 1, [f.video!.info.id]]]);
  }, 60_000);

  it("fails a candidate whose command fails on every attempt with the worker's own reason, after the configured attempts", async () => {
    const root = tmp();
    const s = writeStandIns(join(root, "bin"), { fast: true });
    const cache = join(root, "cache");
    await worker(cache, s, "gpu-a");
    const f = await coordinator(cache, { attempts: 3 });
    const failure = await f.video!.generate({ prompt: "A shot of FAILVIDEO", query: "q", seed: 0 }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(QueueError);
    expect(String((failure as Error).message)).toMatch(/failed after 3 attempts: video command exited with code 3: CUDA out of memory/);
    expect(logLines(s.videoLog)).toHaveLength(3);
  }, 60_000);

  it("runs a job again when a later run asks for it after it failed (the run store, not Redis, decides what is left)", async () => {
    const root = tmp();
    const s = writeStandIns(join(root, "bin"), { fast: true });
    const cache = join(root, "cache");
    await worker(cache, s, "gpu-a");
    const f = await coordinator(cache, { attempts: 1 });
    const request = { prompt: "A shot of FAILVIDEO again", query: "q", seed: 0 };
    await expect(f.video!.generate(request)).rejects.toThrow(/failed after 1 attempt: video command exited with code 3/);
    await expect(f.video!.generate(request)).rejects.toThrow(/failed after 1 attempt: video command exited with code 3/);
    expect(logLines(s.videoLog)).toHaveLength(2);
  }, 60_000);

  it("adds a job again when Redis lost it while the coordinator waited", async () => {
    const root = tmp();
    const s = writeStandIns(join(root, "bin"), { fast: true, videoSleepMs: 800 });
    const cache = join(root, "cache");
    await worker(cache, s, "gpu-a");
    const f = await coordinator(cache);
    const first = f.video!.generate({ prompt: "A wide shot of a harbour", query: "harbour", seed: 1 });
    const second = f.video!.generate({ prompt: "A wide shot of a market", query: "market", seed: 2 });
    while (logLines(s.videoLog).length === 0) await new Promise((r) => setTimeout(r, 20));
    // The one job the single-slot worker has not taken yet disappears, as after a Redis restart without persistence.
    const queueName = (await queueStatus(url())).queues.find((q) => q.waiting === 1)!.queue;
    const queue = new Queue(queueName, { connection: { url: url() }, prefix: "vpo" });
    const waiting = await queue.getWaiting();
    expect(waiting).toHaveLength(1);
    await waiting[0]!.remove();
    await queue.close();
    const results = await Promise.all([first, second]);
    expect(results.map((r) => r.cached)).toEqual([false, false]);
    expect(logLines(s.videoLog)).toHaveLength(2);
  }, 60_000);

  it("says which worker to start when none is alive, and refuses workers that run different video commands", async () => {
    const root = tmp();
    const cache = join(root, "cache");
    await expect(coordinator(cache)).rejects.toThrow(/no live worker with a video backend on redis:\/\/127\.0\.0\.1:\d+\/\d+: start one with `vpo worker/);
    const a = writeStandIns(join(root, "a"), { fast: true });
    const b = writeStandIns(join(root, "b"), { fast: true });
    await worker(cache, a, "a");
    await worker(cache, b, "b");
    const error = await coordinator(cache).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect(String((error as Error).message)).toMatch(/run different video backends.*\(a\).*\(b\)/);
  }, 60_000);

  it("on abort removes the jobs no worker has taken and lets the running one finish into the cache", async () => {
    const root = tmp();
    const s = writeStandIns(join(root, "bin"), { fast: true, videoSleepMs: 1500 });
    const cache = join(root, "cache");
    const w = await worker(cache, s, "slow");
    const f = await coordinator(cache);
    const stop = new AbortController();
    const runs = [1, 2, 3].map((i) => f.video!.generate({ prompt: `A tracking shot of boat ${i}`, query: "boats", seed: i, signal: stop.signal }).catch((e: unknown) => e));
    while (logLines(s.videoLog).length === 0) await new Promise((r) => setTimeout(r, 20));
    stop.abort();
    for (const outcome of await Promise.all(runs)) expect(outcome).toBeInstanceOf(AbortedError);
    const renderQueue = async () => (await queueStatus(url())).queues.find((q) => q.queue.startsWith("render-score-"));
    expect(await renderQueue()).toMatchObject({ waiting: 0 });
    await w.close();
    expect(await renderQueue()).toMatchObject({ waiting: 0, active: 0, completed: 1 });
    expect(logLines(s.videoLog)).toHaveLength(1);
  }, 60_000);

  it("exposes Prometheus metrics of the jobs a worker ran", async () => {
    const root = tmp();
    const s = writeStandIns(join(root, "bin"), { fast: true });
    const cache = join(root, "cache");
    const w = await worker(cache, s, "metered");
    const f = await coordinator(cache);
    await f.video!.generate({ prompt: "A dreamy view of a lighthouse", query: "lighthouse", seed: 3 });
    const { server, port } = await serveWorkerMetrics(w.metrics.registry, 0, "127.0.0.1");
    try {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(text).toMatch(/vpo_worker_jobs_total\{queue="render-score-[0-9a-f]+",outcome="done"\} 1/);
      expect(text).toMatch(/vpo_worker_job_duration_seconds_count\{queue="render-score-[0-9a-f]+"\} 1/);
      expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
    } finally {
      server.close();
    }
  }, 60_000);
});
