import { hostname } from "node:os";
import { join } from "node:path";
import { UnrecoverableError, Worker, type Job } from "bullmq";
import { QueueError, UsageError } from "../errors.js";
import { openRewardBackend, type RewardBackendSettings } from "../reward/open-reward-backend.js";
import { RewardCache } from "../reward/reward-cache.js";
import { sha256File } from "../util/files.js";
import { silentLogger, type Logger } from "../util/logger.js";
import { openVideoBackend, type VideoBackendSettings } from "../video/open-video-backend.js";
import { VideoCache } from "../video/video-cache.js";
import { renderScoreQueueName, rewardQueueName, videoQueueName, type RenderScoreJobData, type RewardJobData, type VideoJobData } from "./job-kinds.js";
import { connectOnce, connectionOptions, parseQueueUrl, redisClient } from "./queue-url.js";
import { createWorkerMetrics, type WorkerMetrics } from "./worker-metrics.js";
import { publishWorker, unpublishWorker, type WorkerRecord } from "./worker-registry.js";

export interface WorkerSettings {
  /** redis://HOST:PORT */
  queue: string;
  /** Shown by `vpo queue status` (default HOST-PID). */
  name?: string;
  /** The video and reward cache shared with the coordinator (a network file system). */
  cacheDir: string;
  video?: VideoBackendSettings;
  reward?: RewardBackendSettings;
  /**
   * A job whose worker stops renewing its lock for this long (killed -9, host down) is handed to another worker
   * (default 30 s). Its command, if still running on a live host, is adopted there instead of run again.
   */
  stallMs?: number;
  /** Times a job may be handed on that way before it fails (default 3). */
  maxStalls?: number;
  /** How often the worker renews its record for `vpo queue status` (default 5 s; it expires after three misses). */
  heartbeatMs?: number;
  logger?: Logger;
}

export interface RunningWorker {
  name: string;
  queues: string[];
  metrics: WorkerMetrics;
  /** Stops taking jobs and lets those running finish (force: drop them now; BullMQ hands them on once their lock expires). */
  close(force?: boolean): Promise<void>;
}

/**
 * `vpo worker`: consumes the video, reward and render-and-score jobs of the backends it has, through the same durable,
 * cached backends as a local run, so a command that finished is never run again, on this host or another.
 */
export async function runWorker(settings: WorkerSettings): Promise<RunningWorker> {
  const target = parseQueueUrl(settings.queue);
  const logger = settings.logger ?? silentLogger;
  if (!settings.video?.command && !settings.video?.url && !settings.reward?.command && !settings.reward?.url && !settings.reward?.vlm?.baseUrl && !settings.reward?.vlm?.model) {
    throw new UsageError("a worker needs a video backend (--video-cmd or --video-url), a reward backend (--reward-cmd, --reward-url or --vlm-*), or both");
  }
  // Fail at start with the reason when Redis is unreachable; once running, the worker rides out Redis restarts.
  (await connectOnce(target)).disconnect();
  const videoCache = new VideoCache(settings.cacheDir);
  const video = openVideoBackend(settings.video ?? {}, videoCache);
  const { reward, vlm } = await openRewardBackend(settings.reward ?? {}, new RewardCache(settings.cacheDir));
  const name = settings.name ?? `${hostname()}-${process.pid}`;
  const metrics = createWorkerMetrics();
  const stallMs = settings.stallMs ?? 30_000;
  const heartbeatMs = settings.heartbeatMs ?? 5000;
  const done: Record<string, number> = {};
  const failed: Record<string, number> = {};
  let inFlight = 0;

  // The queue name is a hash of the backend id; the id itself, checked here, rules out a job routed by a collision.
  const expect = (kind: string, wanted: string, runs: string) => {
    if (wanted !== runs) throw new UnrecoverableError(`this ${kind} job is for the backend ${wanted}, and worker ${name} runs ${runs}`);
  };
  const processors: { queue: string; concurrency: number; run: (job: Job) => Promise<unknown> }[] = [];
  if (video) {
    processors.push({ queue: videoQueueName(video.info.id), concurrency: video.concurrency, run: async (job: Job<VideoJobData>) => {
      expect("video", job.data.backend, video.info.id);
      return { video: await video.generate(job.data), worker: name };
    } });
  }
  if (reward) {
    processors.push({
      queue: rewardQueueName(reward.info.id),
      concurrency: reward.concurrency,
      run: async (job: Job<RewardJobData>) => {
        const d = job.data;
        expect("reward", d.backend, reward.info.id);
        const candidates = [...(d.videoFile ? [join(settings.cacheDir, d.videoFile)] : []), d.videoPath];
        let videoPath: string | undefined;
        for (const path of candidates) if ((await sha256File(path).catch(() => undefined)) === d.videoSha256) videoPath ??= path;
        // No attempt on another worker would see a different file system: fail now, with the reason.
        if (!videoPath) throw new UnrecoverableError(`no file with the video's hash at ${candidates.join(" or ")}: the cache folder must be shared (--cache-dir)`);
        return { reward: await reward.score({ ...d, videoPath }), worker: name };
      },
    });
  }
  if (video && reward) {
    processors.push({
      queue: renderScoreQueueName(video.info.id, reward.info.id),
      // One slot renders then scores: a job taken is a job started, so none waits here while another worker idles.
      concurrency: video.concurrency,
      run: async (job: Job<RenderScoreJobData>) => {
        expect("video", job.data.backend, video.info.id);
        expect("reward", job.data.rewardBackend, reward.info.id);
        const rendered = await video.generate(job.data);
        const score = await reward.score({ videoPath: rendered.path, videoSha256: rendered.sha256, query: job.data.query, prompt: job.data.prompt });
        return { video: rendered, reward: score, worker: name };
      },
    });
  }

  const redis = redisClient(target);
  redis.on("error", () => undefined);
  const startedAt = new Date().toISOString();
  const record = (): WorkerRecord => ({
    name,
    host: hostname(),
    pid: process.pid,
    startedAt,
    lastSeen: new Date().toISOString(),
    backends: { ...(video ? { video: video.info } : {}), ...(reward ? { reward: reward.info } : {}) },
    concurrency: { video: video?.concurrency ?? 0, reward: reward?.concurrency ?? 0 },
    queues: processors.map((p) => p.queue),
    done,
    failed,
    inFlight,
  });
  const beat = () => publishWorker(redis, target, record(), heartbeatMs * 3).catch((error: unknown) => logger.debug(`heartbeat: ${error instanceof Error ? error.message : String(error)}`));
  const connection = connectionOptions(target);
  const workers = processors.map(({ queue, concurrency, run }) => {
    const worker = new Worker(
      queue,
      async (job: Job) => {
        inFlight++;
        metrics.inFlight.inc({ queue });
        const stop = metrics.seconds.startTimer({ queue });
        try {
          const result = await run(job);
          done[queue] = (done[queue] ?? 0) + 1;
          metrics.jobs.inc({ queue, outcome: "done" });
          // Published before the result, so `vpo queue status` never shows fewer jobs done than the coordinator saw.
          await beat();
          return result;
        } catch (error) {
          failed[queue] = (failed[queue] ?? 0) + 1;
          metrics.jobs.inc({ queue, outcome: "failed" });
          logger.warn(`${queue} job ${job.id} failed (attempt ${job.attemptsMade + 1} of ${job.opts.attempts ?? 1}): ${error instanceof Error ? error.message : String(error)}`);
          throw error;
        } finally {
          stop();
          inFlight--;
          metrics.inFlight.dec({ queue });
        }
      },
      { connection, prefix: target.prefix, concurrency, lockDuration: stallMs, stalledInterval: stallMs, maxStalledCount: settings.maxStalls ?? 3, name },
    );
    worker.on("error", (error) => logger.warn(`queue ${target.display}: ${error.message}`));
    return worker;
  });

  try {
    await Promise.all(workers.map((w) => w.waitUntilReady()));
    await publishWorker(redis, target, record(), heartbeatMs * 3);
  } catch (error) {
    await Promise.all(workers.map((w) => w.close(true)));
    redis.disconnect();
    throw new QueueError(`cannot reach Redis at ${target.display}: ${error instanceof Error ? error.message : String(error)}`, {}, { cause: error });
  }
  const timer = setInterval(() => void beat(), heartbeatMs);
  logger.info(`worker ${name} on ${target.display}: ${processors.map((p) => `${p.queue} ×${p.concurrency}`).join(", ")}`);
  return {
    name,
    queues: processors.map((p) => p.queue),
    metrics,
    async close(force = false) {
      clearInterval(timer);
      await Promise.all(workers.map((w) => w.close(force)));
      await unpublishWorker(redis, target, name).catch(() => undefined);
      redis.disconnect();
      await vlm?.dispose();
    },
  };
}
