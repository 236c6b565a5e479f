import type { FastifyPluginAsync } from "fastify";
import type { RouteOptions } from "../context.js";
import { anyObject, errorResponses } from "../schemas/common.js";

const HEALTH_TIMEOUT_MS = 3000;

/** Operations: health for load balancers, Prometheus metrics, the OpenAPI document. No rate limit on these. */
export const healthRoutes: FastifyPluginAsync<RouteOptions> = async (app, { ctx }) => {
  app.get(
    "/healthz",
    {
      config: { rateLimit: false },
      schema: {
        summary: "200 when the model backend answers (or the GGUF is loaded), 503 with the reason otherwise",
        response: {
          200: { type: "object", properties: { status: { type: "string" }, model: anyObject, version: { type: "string" } } },
          503: { type: "object", properties: { status: { type: "string" }, reason: { type: "string" } } },
        },
      },
    },
    async (_request, reply) => {
      const health = await ctx.health(AbortSignal.timeout(HEALTH_TIMEOUT_MS)).catch((error: unknown) => ({ ok: false as const, reason: error instanceof Error ? error.message : String(error) }));
      if (!health.ok) return reply.code(503).send({ status: "unavailable", reason: health.reason });
      return { status: "ok", model: { backend: ctx.service.model.backend, id: ctx.service.model.id }, version: ctx.version };
    },
  );

  app.get(
    "/metrics",
    { config: { rateLimit: false }, schema: { summary: "Prometheus metrics", produces: ["text/plain"], response: errorResponses(401) } },
    async (_request, reply) => reply.type(ctx.metrics.registry.contentType).send(await ctx.metrics.registry.metrics()),
  );

  app.get("/openapi.json", { config: { rateLimit: false }, schema: { hide: true } }, async () => app.swagger());
};
