import { Redis, type RedisOptions } from "ioredis";
import { UsageError } from "../errors.js";

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
