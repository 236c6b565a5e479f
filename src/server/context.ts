import type { Logger } from "../util/logger.js";
import type { ApiKeys } from "./api-keys.js";
import type { ServerLimits } from "./limits.js";
import type { ServerMetrics } from "./metrics.js";
import type { OptimizerService } from "./optimizer-service.js";
import type { RequestRunner } from "./request-runner.js";

export type HealthCheck = (signal: AbortSignal) => Promise<{ ok: true } | { ok: false; reason: string }>;

/** What every route file gets from buildApp. */
export interface ServerContext {
  service: OptimizerService;
  runner: RequestRunner;
  limits: ServerLimits;
  metrics: ServerMetrics;
  health: HealthCheck;
  logger: Logger;
  apiKeys?: ApiKeys;
  version: string;
}

export interface RouteOptions {
  ctx: ServerContext;
}
