import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import type { RouteOptions } from "../context.js";
import { requestScope } from "../request-scope.js";
import { COMMON_ERRORS, anyObject, errorResponses, toSchema } from "../schemas/common.js";
import { judgeBodySchema, screenBodySchema } from "../schemas/judge.js";
import { sendFailure } from "../send-failure.js";
import type { z } from "zod";

/** The judge (a model call) and the deterministic safety screen with refusal check (no model). */
export const judgeRoutes: FastifyPluginAsync<RouteOptions> = async (app, { ctx }) => {
  app.post(
    "/v1/judge",
    {
      schema: {
        summary: "judge a prompt against the three principles (harmless, accurate, helpful)",
        description: "vpo's judgePrompt() result: `verdict` {category: aligned | unsafe | imprecise | refusal, …}. Needs a judge model (--judge-base-url or --judge-model).",
        body: toSchema(judgeBodySchema),
        response: { 200: anyObject, ...errorResponses(...COMMON_ERRORS) },
      },
    },
    async (request: FastifyRequest, reply: FastifyReply) => {
      const body = request.body as z.infer<typeof judgeBodySchema>;
      const scope = requestScope(reply, ctx.limits.requestTimeoutMs);
      try {
        const result = await ctx.runner.limited(scope, (signal) => ctx.service.judge(body.query, body.prompt, body.format, signal));
        if (result.status === "failed" && result.error) return sendFailure(request, reply, result.error, ctx.logger);
        return result;
      } finally {
        scope.dispose();
      }
    },
  );

  app.post(
    "/v1/screen",
    {
      schema: {
        summary: "the deterministic safety screen and refusal check of a text (no model)",
        description: "`safety`: screenSafety() {flagged, categories, matches}; `refusal`: detectRefusal() {refusal, kind, matched}.",
        body: toSchema(screenBodySchema),
        response: { 200: anyObject, ...errorResponses(400, 401, 413, 429, 500) },
      },
    },
    async (request: FastifyRequest) => ctx.service.screen((request.body as z.infer<typeof screenBodySchema>).text),
  );
};
