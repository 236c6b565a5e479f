import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import { cacheKey } from "../cache-key.js";
import { CHAT_MODELS, chatChunk, chatCompletion, chatQuery, chatSettings, finalChunk } from "../chat-completion.js";
import type { RouteOptions, ServerContext } from "../context.js";
import type { OptimizeSettings } from "../optimizer-service.js";
import { requestScope, type RequestScope } from "../request-scope.js";
import { chatBodySchema, type ChatBody } from "../schemas/chat.js";
import { COMMON_ERRORS, anyObject, errorResponses, toSchema } from "../schemas/common.js";
import { failureOf, sendFailure, streamFailure } from "../send-failure.js";
import { SseStream } from "../sse.js";
import { optimizeStreaming, replayCached, type DeltaSink } from "../streaming.js";
import { failedOutcome, optimizeOne, wantsStream } from "./optimize.js";

/** The OpenAI-compatible facade: `vpo` and `vpo-guarded` as chat models whose answer is the optimized prompt. */
export const chatRoutes: FastifyPluginAsync<RouteOptions> = async (app, { ctx }) => {
  app.get(
    "/v1/models",
    { schema: { summary: "the chat models vpo offers (OpenAI list format)", response: { 200: anyObject, ...errorResponses(401, 429, 500) } } },
    async () => ({ object: "list", data: CHAT_MODELS.map((id) => ({ id, object: "model", created: 0, owned_by: "vpo" })) }),
  );

  app.post(
    "/v1/chat/completions",
    {
      schema: {
        summary: "OpenAI-compatible chat completion: the last user message is the query, the answer its optimized prompt",
        description: "`n` → candidates as choices; `seed`, `temperature`, `top_p`, `max_tokens`, `stream` honoured. `vpo-guarded` runs the guard; a refused query answers `finish_reason: \"content_filter\"`. The whole vpo result is in `vpo`.",
        body: toSchema(chatBodySchema),
        response: { 200: anyObject, ...errorResponses(...COMMON_ERRORS, 404) },
      },
    },
    async (request: FastifyRequest, reply: FastifyReply) => {
      const body = request.body as ChatBody;
      const settings = chatSettings(body);
      const query = chatQuery(body.messages);
      ctx.service.sampling(settings);
      ctx.service.checkQuery(query);
      const scope = requestScope(reply, ctx.limits.requestTimeoutMs);
      const created = Math.floor(Date.now() / 1000);
      try {
        if (wantsStream(request, body.stream)) return await streamChat(ctx, scope, reply, body, query, settings, created);
        const { value, cache } = await optimizeOne(ctx, scope, query, settings);
        if (cache) void reply.header("x-vpo-cache", cache);
        const failed = failedOutcome(value);
        if (failed) return sendFailure(request, reply, failed, ctx.logger);
        return chatCompletion(value, body.model, request.id, created);
      } finally {
        scope.dispose();
      }
    },
  );
};

async function streamChat(ctx: ServerContext, scope: RequestScope, reply: FastifyReply, body: ChatBody, query: string, settings: OptimizeSettings, created: number): Promise<FastifyReply> {
  const id = reply.request.id;
  const key = cacheKey(ctx.service, query, settings);
  const hit = ctx.runner.lookup(key);
  if (key) void reply.header("x-vpo-cache", hit === undefined ? "miss" : "hit");
  const open = () => {
    const sse = new SseStream(reply);
    const choices = settings.candidates ?? 1;
    sse.send(chatChunk(id, body.model, created, Array.from({ length: choices }, (_, index) => ({ index, delta: { role: "assistant", content: "" }, finish_reason: null }))));
    // A chat client cannot take text back, so a reset (rare: cleaning rewrote text already sent) is left to `vpo.prompt`.
    const sink: DeltaSink = (index, text, reset) => {
      if (!reset) sse.send(chatChunk(id, body.model, created, [{ index, delta: { content: text }, finish_reason: null }]));
    };
    return { sse, sink };
  };
  const finish = (sse: SseStream, result: Parameters<typeof finalChunk>[0]) => {
    const failed = failedOutcome(result);
    if (failed) sse.send(streamFailure(reply, failed, ctx.logger));
    else sse.send(finalChunk(result, id, body.model, created));
    sse.send("[DONE]");
    sse.end();
  };
  if (hit !== undefined) {
    const { sse, sink } = open();
    finish(sse, replayCached(hit, sink));
    return reply;
  }
  return ctx.runner.limited(scope, async (signal) => {
    const { sse, sink } = open();
    try {
      finish(sse, await optimizeStreaming(ctx, query, settings, key, signal, sink));
    } catch (error) {
      sse.send(streamFailure(reply, failureOf(scope.explain(error)), ctx.logger));
      sse.send("[DONE]");
      sse.end();
    }
    return reply;
  });
}
