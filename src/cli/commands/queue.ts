import { Command, Option } from "commander";
import { queueStatus, type QueueStatus } from "../../queue/queue-status.js";

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  "));
}

function render(status: QueueStatus): string {
  const out = [`queue ${status.redis}`, ""];
  if (!status.queues.length) out.push("no vpo queues yet");
  else {
    out.push(...table([["queue", "waiting", "active", "delayed", "failed", "completed"], ...status.queues.map((q) => [q.queue, ...[q.waiting, q.active, q.delayed, q.failed, q.completed].map(String)])]));
    for (const q of status.queues) if (q.backends.length) out.push(`  ${q.queue}: ${q.backends.join(" + ")}`);
  }
  out.push("");
  if (!status.workers.length) out.push("no live workers");
  else {
    const rows = status.workers.map((w) => {
      const done = Object.values(w.done).reduce((a, b) => a + b, 0);
      const failed = Object.values(w.failed).reduce((a, b) => a + b, 0);
      const backends = [w.backends.video && `video ${w.backends.video.kind} ×${w.concurrency.video}`, w.backends.reward && `reward ${w.backends.reward.kind} ×${w.concurrency.reward}`].filter(Boolean).join(", ");
      return [w.name, w.host, backends, String(w.inFlight), String(done), String(failed), `${w.jobsPerMinute}/min`, w.lastSeen];
    });
    out.push(...table([["worker", "host", "backends", "in flight", "done", "failed", "throughput", "last seen"], ...rows]));
  }
  return out.join("\n");
}

export function queueCommand(): Command {
  const queue = new Command("queue").description("inspect the scale-out queue (BullMQ on Redis) that vpo workers consume");
  const status = new Command("status")
    .description("waiting / active / failed / completed jobs per queue, and the workers alive with their backends and throughput")
    .requiredOption("--queue <url>", "the Redis of the queue (redis://HOST:PORT)")
    .addOption(new Option("--json", "print the status as JSON"))
    .action(async (flags: { queue: string; json?: boolean }) => {
      const result = await queueStatus(flags.queue);
      process.stdout.write(flags.json ? `${JSON.stringify(result, null, 2)}\n` : `${render(result)}\n`);
    });
  queue.addCommand(status.showHelpAfterError("(run with --help for usage)").exitOverride());
  return queue;
}
