/**
 * The coordinator side of bench:scale, in its own process so its memory is measured alone: N video requests through
 * the queue at once (the backend keeps --queue-jobs in flight), printing one JSON line per 100 results with the
 * process's RSS and live heap (after a full GC), then the wall time from the first job to the last result.
 *   node --expose-gc --import tsx bench/scale-coordinator.ts REDIS_URL CACHE_DIR N JOBS_IN_FLIGHT
 */
import { openQueueFeedback } from "../src/queue/open-queue-feedback.js";

const [url, cacheDir, n, jobs] = process.argv.slice(2);
const feedback = await openQueueFeedback({ queue: url!, cacheDir: cacheDir!, jobs: Number(jobs), need: { video: true, reward: false } });
const video = feedback.video!;
const total = Number(n);
const gc = (globalThis as { gc?: () => void }).gc;
const mib = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;
let done = 0;
let next = 0;
const started = performance.now();
// A bounded pool of callers, as the pipeline keeps a bounded number of items in flight.
await Promise.all(
  Array.from({ length: video.concurrency }, async () => {
    while (next < total) {
      const i = next++;
      await video.generate({ prompt: `A wide shot of scene ${i}`, query: `scene ${i}`, seed: i });
      if (++done % 100 === 0) {
        gc?.();
        const m = process.memoryUsage();
        process.stdout.write(`${JSON.stringify({ done, rssMiB: mib(m.rss), heapMiB: mib(m.heapUsed) })}\n`);
      }
    }
  }),
);
process.stdout.write(`${JSON.stringify({ wallS: (performance.now() - started) / 1000 })}\n`);
await feedback.dispose();
