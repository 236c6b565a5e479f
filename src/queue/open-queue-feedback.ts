import { QueueError, UsageError } from "../errors.js";
import { RewardCache } from "../reward/reward-cache.js";
import type { RewardBackend, RewardResult } from "../reward/types.js";
import { silentLogger, type Logger } from "../util/logger.js";
import type { VideoBackend } from "../video/types.js";
import { VideoCache } from "../video/video-cache.js";
import { JobClient, type JobClientOptions } from "./job-client.js";
import { QueueRewardBackend } from "./queue-reward.js";
import { connectOnce, parseQueueUrl } from "./queue-url.js";
import { QueueVideoBackend } from "./queue-video.js";
import { liveWorkers, type WorkerRecord } from "./worker-registry.js";

export interface QueueFeedbackSettings extends Omit<JobClientOptions, "target" | "logger"> {
  /** redis://HOST:PORT */
  queue: string;
  /** The video and reward cache folder the workers share (network file system). */
  cacheDir: string;
  /** Jobs kept in flight per kind (default 64): enough to keep every worker's slots full. */
  jobs?: number;
  /** Which backends the caller needs (default both). */
  need?: { video?: boolean; reward?: boolean };
  logger?: Logger;
}

export interface QueueFeedback {
  video?: VideoBackend;
  reward?: RewardBackend;
  /** True when each candidate is rendered and scored by one worker (every live video worker also scores). */
  combined: boolean;
  dispose(): Promise<void>;
}

/** The one backend id the live workers agree on for a kind, or a clear error. */
function agreedBackend<K extends "video" | "reward">(workers: WorkerRecord[], kind: K, display: string): NonNullable<WorkerRecord["backends"][K]> {
  const byId = new Map<string, { info: NonNullable<WorkerRecord["backends"][K]>; names: string[] }>();
  for (const w of workers) {
    const info = w.backends[kind];
    if (info === undefined) continue;
    const entry = byId.get(info.id) ?? { info, names: [] };
    entry.names.push(w.name);
    byId.set(info.id, entry);
  }
  if (!byId.size) throw new QueueError(`no live worker with a ${kind} backend on ${display}: start one with \`vpo worker --queue ${display} --${kind}-cmd …\` first`);
  if (byId.size > 1) {
    const list = [...byId.entries()].map(([id, e]) => `${id} (${e.names.join(", ")})`).join("; ");
    throw new UsageError(`the workers on ${display} run different ${kind} backends, so the run's provenance would be ambiguous: ${list}`);
  }
  return [...byId.values()][0]!.info;
}

/**
 * Coordinator-side backends that send video and reward work to `vpo worker`s through BullMQ. The run records the
 * workers' own backend ids as its provenance (the same as a local run with those backends), so a run can move
 * between local and queued execution and resume either way.
 */
export async function openQueueFeedback(settings: QueueFeedbackSettings): Promise<QueueFeedback> {
  const target = parseQueueUrl(settings.queue);
  const logger = settings.logger ?? silentLogger;
  const need = { video: settings.need?.video ?? true, reward: settings.need?.reward ?? true };
  const redis = await connectOnce(target);
  let workers: WorkerRecord[];
  try {
    workers = await liveWorkers(redis, target);
  } finally {
    redis.disconnect();
  }
  const videoInfo = need.video ? agreedBackend(workers, "video", target.display) : undefined;
  const rewardInfo = need.reward ? agreedBackend(workers, "reward", target.display) : undefined;
  const combined = Boolean(videoInfo && rewardInfo && workers.filter((w) => w.backends.video).every((w) => w.backends.reward?.id === rewardInfo.id));
  const client = new JobClient({ ...settings, target, logger });
  const jobs = settings.jobs ?? 64;
  const scores = combined ? new Map<string, RewardResult>() : undefined;
  const rewardCache = new RewardCache(settings.cacheDir);
  const rewardKey = (request: { videoSha256: string; query: string; prompt: string }) => rewardCache.key(rewardInfo!.id, request);
  const video = videoInfo && new QueueVideoBackend({ client, info: videoInfo, cache: new VideoCache(settings.cacheDir), concurrency: jobs, ...(combined ? { combined: { rewardBackend: rewardInfo!.id, rewardKey, scores: scores! } } : {}) });
  const reward = rewardInfo && new QueueRewardBackend({ client, info: rewardInfo, cache: rewardCache, concurrency: jobs, scores });
  logger.info(`queue ${target.display}: ${workers.length} live worker${workers.length === 1 ? "" : "s"}${combined ? ", rendering and scoring each candidate on one worker" : ""}`);
  return { video, reward, combined, dispose: () => client.close() };
}
