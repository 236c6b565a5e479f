import { BackendError, UsageError } from "../../errors.js";
import type { Logger } from "../../util/logger.js";
import { normalizeBaseUrl, openHttpModel } from "../openai-compatible.js";
import { checkEndpoint } from "./health-check.js";
import { PooledModel, type PoolOptions } from "./pooled-model.js";

export interface PooledModelSpec extends PoolOptions {
  baseUrls: string[];
  apiKey?: string;
  /** Model name on the servers. When absent, the one model the first healthy endpoint lists. */
  model?: string;
  /** Requests each endpoint takes at once (default 4): the pool takes the sum. */
  concurrency?: number;
  retries?: number;
  retryDelayMs?: number;
  timeoutMs?: number;
  logger?: Logger;
}

/** Splits `--base-url URL1,URL2` into its URLs; one URL stays one. */
export function splitBaseUrls(raw: string): string[] {
  return raw.split(",").map((u) => u.trim()).filter(Boolean);
}

/**
 * Opens an endpoint pool: checks every endpoint's health at once (one that fails starts ejected and is checked again
 * after the cool-down), resolves the model name, and opens one retry-free client per endpoint.
 */
export async function openPooledModel(spec: PooledModelSpec): Promise<PooledModel> {
  const baseUrls = spec.baseUrls.map(normalizeBaseUrl);
  const duplicate = baseUrls.find((u, i) => baseUrls.indexOf(u) !== i);
  if (duplicate) throw new UsageError(`--base-url lists ${duplicate} twice; give each endpoint once (raise --concurrency for more requests per endpoint)`);
  const healthTimeoutMs = spec.healthTimeoutMs ?? 5000;
  const first = await Promise.all(baseUrls.map((u) => checkEndpoint(u, { apiKey: spec.apiKey, timeoutMs: healthTimeoutMs })));
  let model = spec.model;
  if (!model) {
    const listing = first.find((h) => h.ok);
    if (!listing) throw new BackendError(`none of the ${baseUrls.length} endpoints answers GET /models: ${first.map((h, i) => `${baseUrls[i]}: ${h.ok ? "ok" : h.reason}`).join("; ")}`, baseUrls[0]);
    if (listing.models.length !== 1) throw new UsageError(`no --model given and ${baseUrls[first.indexOf(listing)]} serves ${listing.models.length} models (${listing.models.slice(0, 8).join(", ")}); pass --model NAME`);
    model = listing.models[0]!;
  }
  const limit = spec.concurrency ?? 4;
  const endpoints = await Promise.all(
    baseUrls.map(async (baseUrl, i) => {
      const health = first[i]!;
      const client = await openHttpModel({ baseUrl, apiKey: spec.apiKey, model, concurrency: limit, retries: 0, timeoutMs: spec.timeoutMs });
      return { baseUrl, client, limit, healthy: health.ok, ...(health.ok ? {} : { reason: health.reason }) };
    }),
  );
  return new PooledModel({
    ...spec,
    info: { backend: "openai-compatible", id: model, baseUrl: baseUrls.join(",") },
    endpoints,
    check: (baseUrl) => checkEndpoint(baseUrl, { apiKey: spec.apiKey, timeoutMs: healthTimeoutMs }),
  });
}
