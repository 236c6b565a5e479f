import { setMaxListeners } from "node:events";
import { Job, Queue, QueueEvents } from "bullmq";
import { AbortedError, QueueError } from "../errors.js";
import { silentLogger, type Logger } from "../util/logger.js";
import { connectionOptions, type QueueTarget } from "./queue-url.js";

export interface JobClientOptions {
  target: QueueTarget;
  /** Tries per job, the first included (default 3). */
  attempts?: number;
  /** Delay before the first retry, doubling each time (default 5 s). */
  backoffMs?: number;
  /** How often jobs in flight are re-read, in case Redis restarted and an event was lost (default 5 s). */
  pollMs?: number;
  logger?: Logger;
}

interface Waiter {
  queue: Queue;
  data: object;
  settle: (outcome: { value: unknown } | { error: Error }) => void;
}

const WEEK_S = 7 * 24 * 3600;
const UNFINISHED = new Set(["waiting", "delayed", "prioritized", "waiting-children"]);

/**
 * The coordinator's side of the queue: adds a job under its content-hash id (a no-op when a job of that id exists, so
 * a restarted coordinator re-attaches to it) and waits for its outcome, from BullMQ's events and, as a fallback,
 * by re-reading the jobs in flight every `pollMs`. Memory is one entry per job in flight, never per job ever added.
 */
export class JobClient {
  private readonly queues = new Map<string, Queue>();
  private readonly events = new Map<string, QueueEvents>();
  private readonly waiters = new Map<string, Waiter>();
  private readonly poller: NodeJS.Timeout;
  private readonly logger: Logger;
  private closed = false;

  constructor(private readonly options: JobClientOptions) {
    this.logger = options.logger ?? silentLogger;
    this.poller = setInterval(() => void this.sweep(), options.pollMs ?? 5000);
    this.poller.unref();
  }

  /** Runs one job to its end: its worker's return value, or a QueueError with the last attempt's reason. */
  async run<R>(queueName: string, jobId: string, data: object, signal?: AbortSignal): Promise<R> {
    if (signal?.aborted) throw new AbortedError();
    const queue = await this.open(queueName);
    await queue.add(queueName, data, { jobId, ...this.jobOptions() });
    const outcome = new Promise<{ value: unknown } | { error: Error }>((settle) => this.waiters.set(jobId, { queue, data, settle }));
    const onAbort = () => void this.cancel(jobId);
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      // The run store and the caches, not Redis, say what is still to do: callers ask only for what the cache lacks,
      // so a finished job found here failed in an earlier run, or names a file since deleted: it runs again.
      const state = await queue.getJobState(jobId);
      if (state === "failed" || state === "completed") await (await Job.fromId(queue, jobId))?.retry(state, { resetAttemptsMade: true, resetAttemptsStarted: true });
      await this.check(jobId);
      const result = await outcome;
      if ("error" in result) throw result.error;
      return result.value as R;
    } finally {
      signal?.removeEventListener("abort", onAbort);
      this.waiters.delete(jobId);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.poller);
    await Promise.all([...this.events.values(), ...this.queues.values()].map((c) => c.close()));
  }

  private jobOptions() {
    return {
      attempts: this.options.attempts ?? 3,
      backoff: { type: "exponential", delay: this.options.backoffMs ?? 5000 },
      // Finished jobs stay a while so a restarted coordinator collects them; the caches hold the results for good.
      removeOnComplete: { age: WEEK_S },
      removeOnFail: { age: WEEK_S },
    };
  }

  private async open(name: string): Promise<Queue> {
    const existing = this.queues.get(name);
    if (existing) return existing;
    const connection = connectionOptions(this.options.target);
    const queue = new Queue(name, { connection, prefix: this.options.target.prefix });
    const events = new QueueEvents(name, { connection, prefix: this.options.target.prefix });
    setMaxListeners(0, events);
    // Connection errors while Redis restarts: the connections retry, and the sweep re-reads what an event missed.
    const quiet = (error: Error) => this.logger.debug(`queue ${name}: ${error.message}`);
    queue.on("error", quiet);
    events.on("error", quiet);
    events.on("completed", ({ jobId }) => void this.check(jobId));
    events.on("failed", ({ jobId }) => void this.check(jobId));
    this.queues.set(name, queue);
    this.events.set(name, events);
    await events.waitUntilReady();
    return queue;
  }

  /** Settles the waiter of `jobId` when its job has finished; re-adds a job Redis lost (a restart without persistence). */
  private async check(jobId: string): Promise<void> {
    const waiter = this.waiters.get(jobId);
    if (!waiter || this.closed) return;
    try {
      // The state first, then the job: a job read before it finished would carry no return value yet.
      const state = await waiter.queue.getJobState(jobId);
      if (state === "unknown") {
        this.logger.warn(`queue: job ${jobId} vanished from Redis; adding it again`);
        await waiter.queue.add(waiter.queue.name, waiter.data, { jobId, ...this.jobOptions() });
        return;
      }
      if (state !== "completed" && state !== "failed") return;
      const job = await Job.fromId(waiter.queue, jobId);
      if (!job) return;
      if (state === "completed") waiter.settle({ value: job.returnvalue });
      else {
        const error = new QueueError(`${waiter.queue.name} job failed after ${job.attemptsMade} attempt${job.attemptsMade === 1 ? "" : "s"}: ${job.failedReason}`, { queue: waiter.queue.name, jobId, attempts: job.attemptsMade });
        waiter.settle({ error });
      }
    } catch (error) {
      // Redis unreachable for now: the next sweep looks again.
      this.logger.debug(`queue: could not read job ${jobId}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async sweep(): Promise<void> {
    await Promise.all([...this.waiters.keys()].map((id) => this.check(id)));
  }

  /** Second Ctrl-C: a job no worker has taken yet is removed; one already running finishes into the cache. */
  private async cancel(jobId: string): Promise<void> {
    const waiter = this.waiters.get(jobId);
    if (!waiter) return;
    waiter.settle({ error: new AbortedError() });
    try {
      if (UNFINISHED.has(await waiter.queue.getJobState(jobId))) await (await Job.fromId(waiter.queue, jobId))?.remove();
    } catch (error) {
      this.logger.debug(`queue: could not remove job ${jobId}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
