import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance } from "fastify";
import { ServiceError } from "../../errors.js";
import type { ServerLimits } from "../limits.js";
import { keyIdOf } from "./auth.js";

/** Per-key request rate (per client address when the server has no keys): 429 + Retry-After beyond it. */
export async function registerRateLimit(app: FastifyInstance, limits: ServerLimits): Promise<void> {
  if (limits.rateLimit.max <= 0) return;
  await app.register(rateLimit, {
    max: limits.rateLimit.max,
    timeWindow: limits.rateLimit.windowMs,
    keyGenerator: (request) => keyIdOf(request) ?? request.ip,
    errorResponseBuilder: (_request, context) =>
      new ServiceError("rate-limited", `rate limit of ${context.max} requests per ${Math.round(limits.rateLimit.windowMs / 1000)} s reached; retry in ${context.after}`, Math.ceil(context.ttl / 1000)),
  });
}
