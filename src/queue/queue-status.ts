import { Queue } from "bullmq";
import { QueueError } from "../errors.js";
import { connectOnce, connectionOptions, parseQueueUrl } from "./queue-url.js";
import { liveWorkers, type WorkerRecord } from "./worker-registry.js";

export interface QueueCounts {
  queue: string;
  /** The backend ids the queue's live workers run (the queue name is their hash). */
  backends: string[];
  waiting: number;
  active: number;
  delayed: number;
  failed: number;
  completed: number;
}

export interface WorkerStatus extends WorkerRecord {
  /** Jobs finished per minute since the worker started, all queues together. */
  jobsPerMinute: number;
}

export interface QueueStatus {
  redis: string;
  queues: QueueCounts[];
  workers: WorkerStatus[];
}

const STATES = ["waiting", "prioritized", "active", "delayed", "failed", "completed"] as const;

/** The backend ids behind a queue, from one of its workers. */
function backendsOf(queue: string, worker: WorkerRecord): string[] {
  const { video, reward } = worker.backends;
  const ids = queue.startsWith("video-") ? [video] : queue.startsWith("reward-") ? [reward] : [video, reward];
  return ids.flatMap((info) => (info ? [info.id] : []));
}

/** `vpo queue status`: job counts of every vpo queue in Redis and the workers alive now. */
export async function queueStatus(url: string, now = Date.now()): Promise<QueueStatus> {
  const target = parseQueueUrl(url);
  const connection = connectionOptions(target);
  const redis = await connectOnce(target);
  try {
    const names = new Set<string>();
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${target.prefix}:*:meta`, "COUNT", 500);
      cursor = next;
      for (const key of keys) names.add(key.slice(target.prefix.length + 1, -":meta".length));
    } while (cursor !== "0");
    const workers = (await liveWorkers(redis, target)).map((w) => {
      const minutes = Math.max((now - Date.parse(w.startedAt)) / 60_000, 1 / 60);
      const finished = Object.values(w.done).reduce((a, b) => a + b, 0);
      return { ...w, jobsPerMinute: Math.round((finished / minutes) * 10) / 10 };
    });
    const queues: QueueCounts[] = [];
    for (const name of [...names].sort()) {
      const queue = new Queue(name, { connection, prefix: target.prefix });
      try {
        const c = await queue.getJobCounts(...STATES);
        const backends = [...new Set(workers.filter((w) => w.queues.includes(name)).flatMap((w) => backendsOf(name, w)))];
        queues.push({ queue: name, backends, waiting: (c.waiting ?? 0) + (c.prioritized ?? 0), active: c.active ?? 0, delayed: c.delayed ?? 0, failed: c.failed ?? 0, completed: c.completed ?? 0 });
      } finally {
        await queue.close();
      }
    }
    return { redis: target.display, queues, workers };
  } catch (error) {
    throw new QueueError(`cannot read the queue at ${target.display}: ${error instanceof Error ? error.message : String(error)}`, {}, { cause: error });
  } finally {
    redis.disconnect();
  }
}
