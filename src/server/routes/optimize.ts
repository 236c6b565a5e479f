import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import type { OptimizeResult } from "../../optimize/optimize.js";
import { cacheKey } from "../cache-key.js";
import type { RouteOptions, ServerContext } from "../context.js";
import type { OptimizeSettings } from "../optimizer-service.js";
import { requestScope, type RequestScope } from "../request-scope.js";
import { COMMON_ERRORS, errorResponses, objectOrArray, toSchema } from "../schemas/common.js";
import { optimizeBodySchema, type OptimizeBody } from "../schemas/optimize.js";
import { failureOf, sendFailure, streamFailure } from "../send-failure.js";
import { SseStream } from "../sse.js";
import { optimizeStreaming, replayCached, storable } from "../streaming.js";

export function settingsOf(body: Pick<OptimizeBody, "preset" | "sampling" | "candidates" | "iterations" | "stripFlags" | "guard"> & Partial<Pick<OptimizeBody, "n" | "select" | ShapeField>> & { target?: string }): OptimizeSettings {
  const candidates = body.n ?? body.candidates;
  const guard = typeof body.guard === "object" ? body.guard : body.guard === undefined ? undefined : body.guard ? {} : false;
  return {
    ...(body.preset ? { preset: body.preset } : {}),
    ...(body.sampling ? { sampling: body.sampling } : {}),
    ...(candidates !== undefined ? { candidates } : {}),
    ...(body.select ? { select: body.select } : {}),
    ...(body.iterations !== undefined ? { iterations: body.iterations } : {}),
    ...(body.stripFlags !== undefined ? { stripFlags: body.stripFlags } : {}),
    ...(guard !== undefined ? { guard } : {}),
    ...Object.fromEntries(SHAPE_FIELDS.filter((k) => body[k] !== undefined).map((k) => [k, body[k]])),
    ...(body.target !== undefined ? { target: body.target } : {}),
  };
}

type ShapeField = "keep" | "protectTerms" | "lang" | "negatives" | "format" | "shots";
const SHAPE_FIELDS: ShapeField[] = ["keep", "protectTerms", "lang", "negatives", "format", "shots"];

export const wantsStream = (request: FastifyRequest, stream: boolean | undefined) => stream ?? (request.headers.accept ?? "").includes("text/event-stream");

/** One query through the runner (cache, shared calls, in-flight limit, timeout). */
export function optimizeOne(ctx: ServerContext, scope: RequestScope, query: string, settings: OptimizeSettings) {
  return ctx.runner.run<OptimizeResult>(scope, cacheKey(ctx.service, query, settings), async (signal) => {
    const result = await ctx.service.optimize(query, settings, { signal });
    return { value: result, store: storable(result) };
  });
}

/** A failed single result answers with its error status, except a refusal by the guard, which is an answer. */
export const failedOutcome = (result: OptimizeResult) => (result.status === "failed" && result.error && result.error.code !== "refused" ? result.error : undefined);

export const optimizeRoutes: FastifyPluginAsync<RouteOptions> = async (app, { ctx }) => {
  app.post(
    "/v1/optimize",
    {
      schema: {
        summary: "optimize a query (or a batch of queries) into a video prompt",
        description: "The OptimizeResult of vpo's optimize() (with `report` when guarded), or an array of them for `queries`. With `stream: true` or `Accept: text/event-stream`: `delta` events {index, text}, a `reset` event when cleaning rewrote text already sent, then one `result` event.",
        body: toSchema(optimizeBodySchema(ctx.limits.maxBatch)),
        response: { 200: objectOrArray, ...errorResponses(...COMMON_ERRORS, 422) },
      },
    },
    async (request: FastifyRequest, reply: FastifyReply) => {
      const body = request.body as OptimizeBody;
      let settings = settingsOf(body);
      ctx.service.sampling(settings);
      ctx.service.checkSelect(settings);
      ctx.service.target(settings);
      if (body.query !== undefined) ctx.service.checkQuery(body.query);
      const scope = requestScope(reply, ctx.limits.requestTimeoutMs);
      try {
        if (body.image !== undefined) settings = { ...settings, image: await ctx.service.image(body.image, scope.signal).catch((error: unknown) => Promise.reject(scope.explain(error))) };
        if (body.queries) {
          const outcomes = await Promise.all(body.queries.map((query) => optimizeOne(ctx, scope, query, settings)));
          return outcomes.map((o) => o.value);
        }
        const query = body.query!;
        if (wantsStream(request, body.stream)) return await streamOne(ctx, scope, reply, query, settings);
        const { value, cache } = await optimizeOne(ctx, scope, query, settings);
        if (cache) void reply.header("x-vpo-cache", cache);
        const failed = failedOutcome(value);
        if (failed) return sendFailure(request, reply, failed, ctx.logger);
        return value;
      } finally {
        scope.dispose();
      }
    },
  );
};

async function streamOne(ctx: ServerContext, scope: RequestScope, reply: FastifyReply, query: string, settings: OptimizeSettings): Promise<FastifyReply> {
  const key = cacheKey(ctx.service, query, settings);
  const hit = ctx.runner.lookup(key);
  if (key) void reply.header("x-vpo-cache", hit === undefined ? "miss" : "hit");
  const send = (sse: SseStream) => (index: number, text: string, reset: boolean) => sse.send({ index, text }, reset ? "reset" : "delta");
  if (hit !== undefined) {
    const sse = new SseStream(reply);
    sse.send(replayCached(hit, send(sse)), "result");
    sse.end();
    return reply;
  }
  return ctx.runner.limited(scope, async (signal) => {
    const sse = new SseStream(reply);
    try {
      const result = await optimizeStreaming(ctx, query, settings, key, signal, send(sse));
      const failed = failedOutcome(result);
      sse.send(failed ? streamFailure(reply, failed, ctx.logger) : result, failed ? "error" : "result");
    } catch (error) {
      sse.send(streamFailure(reply, failureOf(scope.explain(error)), ctx.logger), "error");
    } finally {
      sse.end();
    }
    return reply;
  });
}
