import type { FastifyInstance } from "fastify";
import { BackendError, UsageError } from "../errors.js";
import { openModel, type ModelSpec } from "../model/open-model.js";
import { listServerModels } from "../model/openai-compatible.js";
import type { TextModel } from "../model/types.js";
import type { PromptTemplate } from "../optimize/template.js";
import { silentLogger, type Logger } from "../util/logger.js";
import { openSafety, type OpenedSafety, type SafetySettings } from "../guard/open-safety.js";
import type { ApiKeys } from "./api-keys.js";
import { buildApp } from "./build-app.js";
import type { HealthCheck } from "./context.js";
import type { ServerLimits } from "./limits.js";
import { createMetrics, timedModel } from "./metrics.js";
import { createOptimizerService, type GuardSettings } from "./optimizer-service.js";
import type { TargetRegistry } from "../target/registry.js";
import type { TargetSettings } from "../target/target-settings.js";
import { ResultCache, type ResultCacheOptions } from "./result-cache.js";
import type { WebRouteOptions } from "./routes/web.js";
import { ReviewStore } from "../review/index.js";
import { RunLibrary } from "../run-browser/index.js";

export interface ServeOptions {
  /** The optimizer: a spec to open (and dispose on close), or an open model (left open). */
  model: ModelSpec | TextModel;
  /** The judge of guarded requests and /v1/judge (optional). */
  judge?: ModelSpec | TextModel;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 8787; 0 picks a free port. */
  port?: number;
  apiKeys?: ApiKeys;
  /** Allow a non-loopback host without API keys. */
  insecureNoAuth?: boolean;
  limits?: Partial<ServerLimits>;
  /** SQLite result cache for deterministic requests; false: none. */
  cache?: ResultCacheOptions | false;
  template?: PromptTemplate;
  /** Profiles requests may name in `target` (default: the shipped ones) and the default target (`vpo serve --target`). */
  targets?: TargetRegistry;
  defaultTarget?: TargetSettings;
  maxQueryChars?: number;
  guardDefaults?: GuardSettings;
  guardByDefault?: boolean;
  /** The safety classifier, policy file and controversial action of guarded requests (opened here, freed on close). */
  safety?: SafetySettings;
  /** Let /v1/optimize's `image` be an http(s) URL the server downloads (default: data URLs only). */
  allowImageUrls?: boolean;
  logger?: Logger;
  version?: string;
  /** The web app at / (default: the built one); false: API only. */
  web?: WebRouteOptions | false;
  /** Serve the run browser over the pipeline run directories under this folder (read-only). */
  runs?: string;
  /** Serve blind A/B review from this review store (SQLite, made by `vpo review create`). */
  reviews?: string;
}

export interface VpoServer {
  app: FastifyInstance;
  /** Starts listening; resolves to the base URL, e.g. http://127.0.0.1:8787. */
  listen(): Promise<string>;
  /** Stops accepting, lets in-flight requests finish, then frees the models it opened and the cache. */
  close(): Promise<void>;
}

const isTextModel = (m: ModelSpec | TextModel): m is TextModel => typeof (m as TextModel).generate === "function";

export function isLoopback(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Health of the optimizer's backend, in words safe to show a client (no URLs, no bodies). */
function healthOf(model: TextModel, apiKey: string | undefined): HealthCheck {
  return async (signal) => {
    if (model.info.backend === "llama") return { ok: true };
    // A pool checks its endpoints itself: healthy while one is in the rotation.
    const endpoints = model.endpointStats?.();
    if (endpoints) return endpoints.some((e) => e.admitted) ? { ok: true } : { ok: false, reason: "no endpoint of the model pool answers" };
    try {
      await Promise.race([
        listServerModels(model.info.baseUrl!, apiKey, 3000),
        new Promise((_, reject) => signal.addEventListener("abort", () => reject(new Error("timeout")), { once: true })),
      ]);
      return { ok: true };
    } catch (error) {
      const status = error instanceof BackendError ? error.status : undefined;
      return { ok: false, reason: status ? `the model backend answers HTTP ${status}` : "the model backend does not answer" };
    }
  };
}

/**
 * The service: opens the models (unless given open ones), builds the app, and listens only when asked. With no API
 * keys it serves loopback addresses only, unless `insecureNoAuth`.
 */
export async function createServer(options: ServeOptions): Promise<VpoServer> {
  const host = options.host ?? "127.0.0.1";
  const port = options.port ?? 8787;
  if (!options.apiKeys && !isLoopback(host) && !options.insecureNoAuth) {
    throw new UsageError(`refusing to serve ${host} without API keys: pass --api-keys FILE (or VPO_API_KEYS), or --insecure-no-auth to allow anyone who can reach it`);
  }
  const logger = options.logger ?? silentLogger;
  const opened: TextModel[] = [];
  const open = async (m: ModelSpec | TextModel) => {
    if (isTextModel(m)) return m;
    const model = await openModel(m);
    opened.push(model);
    return model;
  };
  const disposeOpened = async () => {
    for (const model of opened.splice(0).reverse()) await model.dispose();
  };
  let cache: ResultCache | undefined;
  let safety: OpenedSafety | undefined;
  let reviews: ReviewStore | undefined;
  try {
    const runs = options.runs !== undefined ? new RunLibrary(options.runs) : undefined;
    reviews = options.reviews !== undefined ? ReviewStore.open(options.reviews) : undefined;
    safety = options.safety ? await openSafety({ logger, ...options.safety }) : undefined;
    const model = await open(options.model);
    const judge = options.judge ? await open(options.judge) : undefined;
    cache = options.cache ? new ResultCache(options.cache) : undefined;
    const apiKey = isTextModel(options.model) ? undefined : options.model.apiKey;
    const metrics = createMetrics();
    const service = createOptimizerService({
      model: timedModel(model, "optimizer", metrics.backendSeconds),
      ...(judge ? { judge: timedModel(judge, "judge", metrics.backendSeconds) } : {}),
      ...(options.template ? { template: options.template } : {}),
      ...(options.targets ? { targets: options.targets } : {}),
      ...(options.defaultTarget ? { defaultTarget: options.defaultTarget } : {}),
      ...(options.maxQueryChars !== undefined ? { maxQueryChars: options.maxQueryChars } : {}),
      ...(options.guardDefaults ? { guardDefaults: options.guardDefaults } : {}),
      ...(options.guardByDefault ? { guardByDefault: true } : {}),
      ...(options.allowImageUrls ? { allowImageUrls: true } : {}),
      ...(safety ? { safety: safety.safety, ...(safety.screen ? { screen: safety.screen } : {}) } : {}),
    });
    const app = await buildApp({
      service,
      health: healthOf(model, apiKey),
      metrics,
      ...(options.limits ? { limits: options.limits } : {}),
      ...(options.apiKeys ? { apiKeys: options.apiKeys } : {}),
      ...(cache ? { cache } : {}),
      logger,
      ...(options.version ? { version: options.version } : {}),
      ...(options.web !== undefined ? { web: options.web } : {}),
      ...(runs ? { runs } : {}),
      ...(reviews ? { reviews } : {}),
      onClose: async () => {
        cache?.close();
        reviews?.close();
        await disposeOpened();
        await safety?.dispose();
      },
    });
    return {
      app,
      listen: () => app.listen({ host, port }),
      close: () => app.close(),
    };
  } catch (error) {
    cache?.close();
    reviews?.close();
    await disposeOpened();
    await safety?.dispose();
    throw error;
  }
}
