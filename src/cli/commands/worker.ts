import { Command, Option } from "commander";
import { UsageError } from "../../errors.js";
import { runWorker } from "../../queue/run-worker.js";
import { serveWorkerMetrics } from "../../queue/worker-metrics.js";
import { loggerFor, type GlobalFlags } from "../context.js";
import { interruptSignals } from "../interrupt.js";
import { parseInteger, parseNumber } from "../options.js";
import { addBackendOptions, feedbackSettingsFrom, type BackendFlags } from "../pipeline-backends.js";

interface WorkerFlags extends GlobalFlags, Omit<BackendFlags, "out"> {
  queue: string;
  name?: string;
  metricsPort?: number;
  metricsHost: string;
  stallTimeout: number;
}

const untilAborted = (signal: AbortSignal) => new Promise<void>((resolve) => (signal.aborted ? resolve() : signal.addEventListener("abort", () => resolve(), { once: true })));

export function workerCommand(): Command {
  const command = new Command("worker")
    .description("take video and reward jobs from a `--queue` that `vpo data dpo` / `vpo eval bench` fill, with the backends given here")
    .requiredOption("--queue <url>", "the Redis the coordinator queues on (redis://HOST:PORT)")
    .addOption(new Option("--name <name>", "this worker in `vpo queue status` (default HOST-PID)"))
    .addOption(new Option("--metrics-port <port>", "serve Prometheus metrics on GET /metrics at this port").argParser(parseInteger(0)))
    .addOption(new Option("--metrics-host <host>", "address of the metrics server").default("0.0.0.0"))
    .addOption(new Option("--stall-timeout <seconds>", "a job whose worker stops answering this long goes to another worker").argParser(parseNumber).default(30));
  addBackendOptions(command);
  return command.action(async (_opts: unknown, self: Command) => {
    const flags = self.optsWithGlobals<WorkerFlags>();
    const logger = loggerFor(flags);
    if (!flags.cacheDir) throw new UsageError("--cache-dir DIR is required: the video and reward cache this worker shares with the coordinator (a network file system)");
    const settings = feedbackSettingsFrom({ ...flags, out: flags.cacheDir }, logger);
    const signals = interruptSignals(() => logger.warn("stopping: finishing the jobs in hand (Ctrl-C again to drop them; the queue hands them to another worker)"));
    const worker = await runWorker({ queue: flags.queue, name: flags.name, cacheDir: flags.cacheDir, video: settings.video, reward: settings.reward, stallMs: flags.stallTimeout * 1000, logger });
    const metrics = flags.metricsPort !== undefined ? await serveWorkerMetrics(worker.metrics.registry, flags.metricsPort, flags.metricsHost) : undefined;
    if (metrics) logger.info(`metrics on http://${flags.metricsHost}:${metrics.port}/metrics`);
    try {
      await untilAborted(signals.stop);
      await Promise.race([worker.close(), untilAborted(signals.abort).then(() => worker.close(true))]);
    } finally {
      signals.dispose();
      metrics?.server.close();
    }
  });
}
