import { existsSync, statSync } from "node:fs";
import { env, type GpuSetting } from "../config.js";
import { NoModelError, UsageError } from "../errors.js";
import type { Logger } from "../util/logger.js";
import { findDefaultModel, noDefaultModelHelp } from "./default-model.js";
import { openLlamaModel } from "./llama/open-llama-model.js";
import { openHttpModel } from "./openai-compatible.js";
import { openPooledModel, splitBaseUrls } from "./pool/open-pooled-model.js";
import type { PoolOptions } from "./pool/pooled-model.js";
import type { TextModel } from "./types.js";

/** How to reach a model: the same fields back `--base-url/--model` and every `--judge-*`, `--teacher-*` flag set. */
export interface ModelSpec {
  /**
   * OpenAI-compatible server URL (env VPO_BASE_URL for the main model); several, comma-separated, make an endpoint
   * pool serving the same model (least-in-flight balancing, ejection and re-admission, see PooledModel).
   */
  baseUrl?: string;
  apiKey?: string;
  /** A model name on the server, or a path to a .gguf file (env VPO_MODEL). */
  model?: string;
  /** Requests (HTTP; per endpoint in a pool) or parallel sequences (llama.cpp) at once. */
  concurrency?: number;
  retries?: number;
  timeoutMs?: number;
  threads?: number;
  contextSize?: number;
  gpu?: GpuSetting;
  logger?: Logger;
  /** Ejection and re-admission settings of an endpoint pool. */
  pool?: PoolOptions;
}

export function isGgufPath(model: string): boolean {
  return model.toLowerCase().endsWith(".gguf") || (existsSync(model) && statSync(model).isFile());
}

/** Fills unset fields from the VPO_* environment (for the main model only). */
export function withEnvDefaults(spec: ModelSpec): ModelSpec {
  return {
    ...spec,
    baseUrl: spec.baseUrl ?? env.baseUrl(),
    apiKey: spec.apiKey ?? env.apiKey(),
    model: spec.model ?? env.model(),
    threads: spec.threads ?? env.threads(),
    gpu: spec.gpu ?? env.gpu(),
  };
}

/**
 * Opens the model a spec names: a GGUF path runs in-process, a base URL goes over HTTP, and with neither the cached
 * VPO model is used (or a NoModelError says how to get one).
 */
export async function openModel(spec: ModelSpec): Promise<TextModel> {
  const { model, baseUrl } = spec;
  if (model && isGgufPath(model)) {
    if (baseUrl) throw new UsageError(`--model ${model} is a GGUF file, so --base-url ${baseUrl} would be ignored; pass one of them`);
    return openLlamaModel({ path: model, ...llamaOptions(spec) });
  }
  const urls = baseUrl ? splitBaseUrls(baseUrl) : [];
  if (urls.length > 1) {
    return openPooledModel({ ...spec.pool, baseUrls: urls, apiKey: spec.apiKey, model, concurrency: spec.concurrency, retries: spec.retries, timeoutMs: spec.timeoutMs, logger: spec.logger });
  }
  if (baseUrl) {
    return openHttpModel({ baseUrl, apiKey: spec.apiKey, model, concurrency: spec.concurrency, retries: spec.retries, timeoutMs: spec.timeoutMs });
  }
  if (model) throw new UsageError(`--model ${model} is not a .gguf file; to use a model on a server, also pass --base-url`);
  const cached = findDefaultModel();
  if (!cached) throw new NoModelError(noDefaultModelHelp());
  return openLlamaModel({ path: cached, ...llamaOptions(spec) });
}

function llamaOptions(spec: ModelSpec) {
  return { sequences: spec.concurrency, threads: spec.threads, contextSize: spec.contextSize, gpu: spec.gpu, logger: spec.logger };
}
