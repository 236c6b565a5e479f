import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { GenerateRequest, GenerateResult, TextModel } from "../model/types.js";
import type { Admission } from "./admission.js";

export interface ServerMetrics {
  registry: Registry;
  requests: Counter<"route" | "method" | "status">;
  requestSeconds: Histogram<"route">;
  backendSeconds: Histogram<"role" | "outcome">;
  cache: Counter<"result">;
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120];

/** One registry per app (so several apps in one process, as in tests, do not share counters). */
export function createMetrics(): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "vpo_" });
  const metrics: ServerMetrics = {
    registry,
    requests: new Counter({ name: "vpo_http_requests_total", help: "HTTP requests by route, method and status", labelNames: ["route", "method", "status"], registers: [registry] }),
    requestSeconds: new Histogram({ name: "vpo_http_request_duration_seconds", help: "HTTP request latency by route", labelNames: ["route"], buckets: LATENCY_BUCKETS, registers: [registry] }),
    backendSeconds: new Histogram({ name: "vpo_backend_request_duration_seconds", help: "model backend call latency by role and outcome", labelNames: ["role", "outcome"], buckets: LATENCY_BUCKETS, registers: [registry] }),
    cache: new Counter({ name: "vpo_cache_requests_total", help: "result cache lookups of deterministic requests", labelNames: ["result"], registers: [registry] }),
  };
  return metrics;
}

/** In-flight and queued requests, read from the admission control at each scrape. */
export function watchAdmission(metrics: ServerMetrics, admission: Admission): void {
  const registers = [metrics.registry];
  new Gauge({ name: "vpo_requests_in_flight", help: "requests doing model work now", registers, collect() { this.set(admission.inFlight); } });
  new Gauge({ name: "vpo_requests_queued", help: "requests waiting for an in-flight slot", registers, collect() { this.set(admission.queued); } });
}

/** The same model, with each generate() call timed into the backend histogram. */
export function timedModel(model: TextModel, role: string, histogram: ServerMetrics["backendSeconds"]): TextModel {
  return {
    info: model.info,
    languageModel: model.languageModel,
    concurrency: model.concurrency,
    async generate(request: GenerateRequest): Promise<GenerateResult> {
      const stop = histogram.startTimer({ role });
      try {
        const result = await model.generate(request);
        stop({ outcome: "ok" });
        return result;
      } catch (error) {
        stop({ outcome: "error" });
        throw error;
      }
    },
    dispose: () => model.dispose(),
    [Symbol.asyncDispose]: () => model.dispose(),
  };
}
