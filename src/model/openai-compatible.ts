import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { BackendError, UsageError } from "../errors.js";
import { ModelClient, type ModelClientOptions } from "./client.js";

export interface HttpModelOptions extends ModelClientOptions {
  /** e.g. http://127.0.0.1:8000/v1 (vLLM, SGLang, llama.cpp server, Ollama, OpenAI, ...). */
  baseUrl: string;
  apiKey?: string;
  /** Model name on the server. When absent and the server lists exactly one model, that one is used. */
  model?: string;
  headers?: Record<string, string>;
}

export function normalizeBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new UsageError(`--base-url "${raw}" is not a URL (expected something like http://127.0.0.1:8000/v1)`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UsageError(`--base-url must be http(s), got ${url.protocol}`);
  return url.toString().replace(/\/+$/, "");
}

/** GET {baseUrl}/models: the names a server offers. */
export async function listServerModels(baseUrl: string, apiKey?: string, timeoutMs = 10_000): Promise<string[]> {
  const url = `${baseUrl}/models`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : error instanceof Error ? error.message : String(error);
    throw new BackendError(`backend ${url} is unreachable: ${cause}`, url, undefined, { cause: error });
  }
  if (!response.ok) throw new BackendError(`backend ${url} failed: HTTP ${response.status}`, url, response.status);
  const body = (await response.json().catch(() => null)) as { data?: { id?: unknown }[] } | null;
  return (body?.data ?? []).map((m) => m.id).filter((id): id is string => typeof id === "string");
}

/** An OpenAI-compatible chat-completions backend. */
export async function openHttpModel(options: HttpModelOptions): Promise<ModelClient> {
  const baseUrl = normalizeBaseUrl(options.baseUrl);
  let modelId = options.model;
  if (!modelId) {
    const models = await listServerModels(baseUrl, options.apiKey, options.timeoutMs);
    if (models.length !== 1) {
      throw new UsageError(
        models.length === 0
          ? `no --model given and ${baseUrl}/models lists none; pass --model NAME`
          : `no --model given and ${baseUrl} serves ${models.length} models (${models.slice(0, 8).join(", ")}); pass --model NAME`,
      );
    }
    modelId = models[0]!;
  }
  const provider = createOpenAICompatible({
    name: "vpo",
    baseURL: baseUrl,
    apiKey: options.apiKey,
    headers: options.headers,
    includeUsage: true,
    supportsStructuredOutputs: true,
  });
  return new ModelClient(provider.chatModel(modelId), { backend: "openai-compatible", id: modelId, baseUrl }, options);
}
