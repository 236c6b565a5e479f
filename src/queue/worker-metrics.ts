import { createServer, type Server } from "node:http";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

export interface WorkerMetrics {
  registry: Registry;
  jobs: Counter<"queue" | "outcome">;
  seconds: Histogram<"queue">;
  inFlight: Gauge<"queue">;
}

const JOB_BUCKETS = [0.1, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600, 1200, 3600];

/** One registry per worker (several workers in one process, as in tests and benches, do not share counters). */
export function createWorkerMetrics(): WorkerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "vpo_worker_" });
  const registers = [registry];
  return {
    registry,
    jobs: new Counter({ name: "vpo_worker_jobs_total", help: "queue jobs finished by queue and outcome (done, failed)", labelNames: ["queue", "outcome"], registers }),
    seconds: new Histogram({ name: "vpo_worker_job_duration_seconds", help: "time from taking a job to its result, by queue", labelNames: ["queue"], buckets: JOB_BUCKETS, registers }),
    inFlight: new Gauge({ name: "vpo_worker_jobs_in_flight", help: "jobs this worker is running now, by queue", labelNames: ["queue"], registers }),
  };
}

/** GET /metrics in the Prometheus text format; resolves once listening (port 0 picks a free port). */
export function serveWorkerMetrics(registry: Registry, port: number, host = "0.0.0.0"): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    if (req.method !== "GET" || req.url?.split("?")[0] !== "/metrics") {
      res.writeHead(404).end("not found: GET /metrics\n");
      return;
    }
    registry
      .metrics()
      .then((text) => res.writeHead(200, { "content-type": registry.contentType }).end(text))
      .catch((error: unknown) => res.writeHead(500).end(`${error instanceof Error ? error.message : String(error)}\n`));
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      const address = server.address();
      resolve({ server, port: typeof address === "object" && address ? address.port : port });
    });
  });
}
