import type { Redis } from "ioredis";
import type { RewardBackendInfo } from "../reward/types.js";
import type { VideoBackendInfo } from "../video/types.js";
import type { QueueTarget } from "./queue-url.js";

/** What a live worker publishes about itself (a Redis key that expires unless its heartbeat renews it). */
export interface WorkerRecord {
  name: string;
  host: string;
  pid: number;
  startedAt: string;
  lastSeen: string;
  backends: { video?: VideoBackendInfo; reward?: RewardBackendInfo };
  concurrency: { video: number; reward: number };
  /** The BullMQ queues it consumes. */
  queues: string[];
  /** Jobs finished and failed since it started, per queue. */
  done: Record<string, number>;
  failed: Record<string, number>;
  inFlight: number;
}

const keyPrefix = (target: QueueTarget) => `${target.prefix}-workers:`;

export async function publishWorker(redis: Redis, target: QueueTarget, record: WorkerRecord, ttlMs: number): Promise<void> {
  await redis.set(`${keyPrefix(target)}${record.name}`, JSON.stringify(record), "PX", ttlMs);
}

export async function unpublishWorker(redis: Redis, target: QueueTarget, name: string): Promise<void> {
  await redis.del(`${keyPrefix(target)}${name}`);
}

/** Workers whose heartbeat has not expired, by name. */
export async function liveWorkers(redis: Redis, target: QueueTarget): Promise<WorkerRecord[]> {
  const keys: string[] = [];
  let cursor = "0";
  do {
    const [next, batch] = await redis.scan(cursor, "MATCH", `${keyPrefix(target)}*`, "COUNT", 200);
    cursor = next;
    keys.push(...batch);
  } while (cursor !== "0");
  if (!keys.length) return [];
  const values = await redis.mget(...keys);
  return values
    .filter((v): v is string => v !== null)
    .map((v) => JSON.parse(v) as WorkerRecord)
    .sort((a, b) => a.name.localeCompare(b.name));
}
