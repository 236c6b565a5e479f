import { Redis, type RedisOptions } from "ioredis";
import { QueueError, UsageError } from "../errors.js";

/** Where the queue lives: a Redis URL, and the key prefix every vpo queue, job and worker record shares. */
export interface QueueTarget {
  url: string;
  /** The URL without credentials, for logs and status output. */
  display: string;
  prefix: string;
}

export const QUEUE_PREFIX = "vpo";

/** Reads `--queue redis://[user:password@]HOST:PORT[/db]` (rediss:// for TLS). */
export function parseQueueUrl(value: string): QueueTarget {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`--queue: "${value}" is not a URL; give redis://HOST:PORT`);
  }
  if (url.protocol !== "redis:" && url.protocol !== "rediss:") throw new UsageError(`--queue: "${value}" is not a Redis URL; give redis://HOST:PORT`);
  if (!url.hostname) throw new UsageError(`--queue: "${value}" names no host; give redis://HOST:PORT`);
  const db = url.pathname.replace(/^\//, "");
  if (db && !/^\d+$/.test(db)) throw new UsageError(`--queue: the database in "${value}" must be a number (redis://HOST:PORT/0)`);
  return { url: value, display: `${url.protocol}//${url.hostname}:${url.port || 6379}${db ? `/${db}` : ""}`, prefix: QUEUE_PREFIX };
}

/**
 * BullMQ's connection options: commands wait through a Redis restart (no per-request retry limit, offline queue on)
 * instead of failing the jobs in flight; BullMQ requires this for workers.
 */
export const connectionOptions = (target: QueueTarget) => ({ url: target.url, maxRetriesPerRequest: null, enableOfflineQueue: true });

/** A plain ioredis client for vpo's own keys (worker records); ioredis takes the URL as an argument, not an option. */
export const redisClient = (target: QueueTarget, options: RedisOptions = {}) => new Redis(target.url, { maxRetriesPerRequest: null, enableOfflineQueue: true, ...options });

/**
 * A connection for one short task (status, start-up checks): it fails at once, with Redis's own reason, instead of
 * retrying in the background as the long-lived connections do.
 */
export async function connectOnce(target: QueueTarget): Promise<Redis> {
  let last: Error | undefined;
  const redis = new Redis(target.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false, connectTimeout: 5000 });
  redis.on("error", (error: Error) => (last = error));
  try {
    await redis.connect();
    await redis.ping();
    return redis;
  } catch (error) {
    redis.disconnect();
    const reason = (last ?? (error instanceof Error ? error : new Error(String(error)))).message;
    throw new QueueError(`cannot reach Redis at ${target.display}: ${reason}`, {}, { cause: error });
  }
}
