import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";
import { GUARD_POLICIES } from "../../guard/guard-types.js";
import { PRESETS } from "../../optimize/sampling.js";
import type { RouteOptions } from "../context.js";
import { requestScope } from "../request-scope.js";
import { COMMON_ERRORS, anyObject, errorResponses, toSchema } from "../schemas/common.js";
import { assessBodySchema, parseBodySchema, type AssessBody } from "../schemas/playground.js";

/**
 * What the web playground needs besides /v1/optimize: the server's models and defaults, a query read as the guard
 * reads it (flags, intent items, unsafe spans; no model), and an edited prompt re-checked (screen, intent, judge).
 */
export const playgroundRoutes: FastifyPluginAsync<RouteOptions> = async (app, { ctx }) => {
  app.get(
    "/v1/info",
    { schema: { summary: "the optimizer and judge models, presets, guard policies and limits of this server", response: { 200: anyObject, ...errorResponses(401, 429, 500) } } },
    async () => ({
      model: ctx.service.model,
      judge: ctx.service.judgeModel ?? null,
      template: ctx.service.template,
      presets: Object.keys(PRESETS),
      guard: { policies: GUARD_POLICIES, ...ctx.service.guardDefaults },
      limits: { maxBatch: ctx.limits.maxBatch },
      version: ctx.version,
    }),
  );

  app.post(
    "/v1/parse",
    {
      schema: {
        summary: "a query read as the guard reads it: prepared text, typed flags, intent items and the safety screen (no model)",
        description: "vpo's parseQuery() result plus `safety`: screenSafety() of the prepared query.",
        body: toSchema(parseBodySchema),
        response: { 200: anyObject, ...errorResponses(400, 401, 413, 429, 500) },
      },
    },
    async (request: FastifyRequest) => ctx.service.parse((request.body as z.infer<typeof parseBodySchema>).query),
  );

  app.post(
    "/v1/assess",
    {
      schema: {
        summary: "re-check a (possibly edited) prompt against its query: safety screen, refusal, intent, and the judge when configured",
        description: "vpo's assessPrompt() result: {unsafe, categories, refusal, intent, judge?, problems}.",
        body: toSchema(assessBodySchema),
        response: { 200: anyObject, ...errorResponses(...COMMON_ERRORS) },
      },
    },
    async (request: FastifyRequest, reply: FastifyReply) => {
      const body = request.body as AssessBody;
      ctx.service.checkQuery(body.query);
      const scope = requestScope(reply, ctx.limits.requestTimeoutMs);
      try {
        return await ctx.runner.limited(scope, (signal) =>
          ctx.service.assess(body.query, body.prompt, { signal, ...(body.judge !== undefined ? { judge: body.judge } : {}), ...(body.minCoverage !== undefined ? { minCoverage: body.minCoverage } : {}) }),
        );
      } finally {
        scope.dispose();
      }
    },
  );
};
