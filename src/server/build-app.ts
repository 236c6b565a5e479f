import { randomUUID } from "node:crypto";
import Fastify, { type FastifyError, type FastifyInstance } from "fastify";
import { InputError, ServiceError, VpoError } from "../errors.js";
import { silentLogger, type Logger } from "../util/logger.js";
import { Admission } from "./admission.js";
import type { ApiKeys } from "./api-keys.js";
import type { HealthCheck, ServerContext } from "./context.js";
import { DEFAULT_LIMITS, type ServerLimits } from "./limits.js";
import { createMetrics, watchAdmission, type ServerMetrics } from "./metrics.js";
import type { OptimizerService } from "./optimizer-service.js";
import { keyIdOf, registerAuth } from "./plugins/auth.js";
import { registerRateLimit } from "./plugins/rate-limit.js";
import { registerSwagger } from "./plugins/swagger.js";
import { RequestRunner } from "./request-runner.js";
import type { ResultCache } from "./result-cache.js";
import { chatRoutes } from "./routes/chat.js";
import { healthRoutes } from "./routes/health.js";
import { judgeRoutes } from "./routes/judge.js";
import { optimizeRoutes } from "./routes/optimize.js";
import { reviewRoutes } from "./routes/review.js";
import { runRoutes } from "./routes/runs.js";
import { playgroundRoutes } from "./routes/playground.js";
import { webRoutes, type WebRouteOptions } from "./routes/web.js";
import type { ReviewStore } from "../review/index.js";
import type { RunLibrary } from "../run-browser/index.js";
import { describeIssues, zodTypeOf } from "./schemas/common.js";
import { failureOf, sendFailure } from "./send-failure.js";

export interface AppDeps {
  service: OptimizerService;
  health: HealthCheck;
  limits?: Partial<ServerLimits>;
  /** Without keys every request is served (createServer then allows only loopback addresses). */
  apiKeys?: ApiKeys;
  cache?: ResultCache;
  /** Access lines and failures (default: silent). */
  logger?: Logger;
  version?: string;
  /** Where the app counts; pass one to time the models too (`timedModel`). Default: a new registry. */
  metrics?: ServerMetrics;
  /** The web app at / (default: the built one in dist/web); false: API only. */
  web?: WebRouteOptions | false;
  /** The run browser's API over these run directories (`--runs DIR`). */
  runs?: RunLibrary;
  /** Blind A/B review sets (`--reviews STORE`). */
  reviews?: ReviewStore;
  /** Freed when the app closes (models, the cache). */
  onClose?: () => Promise<void>;
}

const REQUEST_ID = /^[\w.:-]{1,128}$/;

/** Fastify's own request errors (body parser, limits) as vpo errors with stable codes. */
function fromFastify(error: FastifyError): VpoError | undefined {
  if (error.code === "FST_ERR_CTP_BODY_TOO_LARGE") return new ServiceError("too-large", "the request body is over the size limit (raise it with --body-limit)");
  if (error.code === "FST_ERR_CTP_INVALID_JSON_BODY" || (error instanceof SyntaxError && error.statusCode === 400)) return new InputError(`the body is not valid JSON: ${error.message}`);
  if (error.code === "FST_ERR_CTP_EMPTY_JSON_BODY") return new InputError("the body is empty; send a JSON object");
  if (error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE") return new InputError("send the body as JSON (Content-Type: application/json)");
  if (error.statusCode === 413) return new ServiceError("too-large", "the request is over a size limit");
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) return new InputError(error.message);
  return undefined;
}

/**
 * The service as an unstarted Fastify app (tests drive it with `inject`; only `vpo serve` listens): plugins (auth,
 * rate limit, API docs), one error handler, then one route file per endpoint group.
 */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const limits: ServerLimits = { ...DEFAULT_LIMITS, ...deps.limits };
  const logger = deps.logger ?? silentLogger;
  const version = deps.version ?? "0.0.0";
  const admission = new Admission(limits.maxInFlight, limits.maxQueued);
  const metrics = deps.metrics ?? createMetrics();
  watchAdmission(metrics, admission);
  const ctx: ServerContext = { service: deps.service, runner: new RequestRunner(admission, metrics, deps.cache), limits, metrics, health: deps.health, logger, version, ...(deps.apiKeys ? { apiKeys: deps.apiKeys } : {}) };

  const app = Fastify({
    logger: false,
    bodyLimit: limits.bodyLimitBytes,
    requestTimeout: limits.bodyTimeoutMs,
    keepAliveTimeout: limits.keepAliveTimeoutMs,
    http: { headersTimeout: limits.headersTimeoutMs, connectionsCheckingInterval: Math.max(100, Math.min(1000, Math.floor(limits.headersTimeoutMs / 4))) },
    requestIdHeader: false,
    genReqId: (raw) => {
      const given = raw.headers["x-request-id"];
      return typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
    },
    return503OnClosing: true,
    forceCloseConnections: "idle",
    routerOptions: { ignoreTrailingSlash: false, maxParamLength: 200 },
  });

  app.setValidatorCompiler(({ schema }) => {
    const type = zodTypeOf(schema);
    if (!type) throw new Error("a route schema was not made by toSchema()");
    return (data: unknown) => {
      const parsed = type.safeParse(data);
      return parsed.success ? { value: parsed.data } : { error: new InputError(`invalid request body: ${describeIssues(parsed.error)}`) };
    };
  });

  app.addHook("onRequest", async (request, reply) => {
    void reply.header("x-request-id", request.id).header("x-content-type-options", "nosniff");
  });
  app.addHook("onResponse", async (request, reply) => {
    const route = request.routeOptions.url ?? "(no route)";
    const status = reply.statusCode;
    metrics.requests.inc({ route, method: request.method, status });
    metrics.requestSeconds.observe({ route }, reply.elapsedTime / 1000);
    const cache = reply.getHeader("x-vpo-cache");
    const key = keyIdOf(request);
    // The path only: query strings may carry secrets a client put there by mistake.
    logger.info(`${request.method} ${request.url.split("?")[0]!.slice(0, 200)} ${status} ${reply.elapsedTime.toFixed(1)}ms`, {
      requestId: request.id,
      status,
      ms: Math.round(reply.elapsedTime * 10) / 10,
      ...(cache ? { cache } : {}),
      ...(key ? { key } : {}),
    });
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const known = VpoError.isInstance(error) ? error : fromFastify(error);
    return sendFailure(request, reply, failureOf(known ?? error), logger);
  });
  app.setNotFoundHandler((request, reply) =>
    sendFailure(request, reply, { code: "not-found", message: `no route ${request.method} ${request.url.split("?")[0]!.slice(0, 200)}` }, logger),
  );

  registerAuth(app, deps.apiKeys);
  await registerRateLimit(app, limits);
  await registerSwagger(app, version, Boolean(deps.apiKeys));

  await app.register(optimizeRoutes, { ctx });
  await app.register(chatRoutes, { ctx });
  await app.register(judgeRoutes, { ctx });
  await app.register(playgroundRoutes, { ctx });
  await app.register(healthRoutes, { ctx });
  if (deps.runs) await app.register(runRoutes, { library: deps.runs });
  if (deps.reviews) await app.register(reviewRoutes, { store: deps.reviews });
  if (deps.web !== false) await app.register(webRoutes, deps.web ?? {});

  app.addHook("onClose", async () => {
    await deps.onClose?.();
  });
  return app;
}
