import { setTimeout as sleep } from "node:timers/promises";
import { AbortedError, BackendError } from "../../errors.js";

export interface ApiTarget {
  baseUrl: string;
  apiKey?: string;
  /** Per-request timeout (default 120 s) and retries of 5xx, 429 and network failures (default 3). */
  timeoutMs?: number;
  retries?: number;
}

/** A failed API call, carrying the provider's own error message (what the user must read to fix it). */
export class FineTuneApiError extends BackendError {
  override name = "FineTuneApiError";
}

/** The message a provider put in an error body: OpenAI/Together `{error: {message}}`, or `{message}`, or the text. */
export function apiErrorMessage(body: string): string {
  try {
    const value = JSON.parse(body) as { error?: { message?: unknown; code?: unknown } | string; message?: unknown };
    if (typeof value.error === "string") return value.error;
    if (value.error && typeof value.error.message === "string") return value.error.code ? `${value.error.message} (${String(value.error.code)})` : value.error.message;
    if (typeof value.message === "string") return value.message;
  } catch {
    // not JSON: fall through to the raw text
  }
  return body.trim().slice(0, 500) || "(empty response)";
}

function retryAfterMs(response: Response, fallback: number): number {
  const after = response.headers.get("retry-after");
  const seconds = after === null ? NaN : Number(after);
  return Number.isFinite(seconds) ? Math.min(seconds * 1000, 60_000) : fallback;
}

/** One JSON API call with retries; the body is a JSON value or a multipart form. */
export async function apiCall<T>(target: ApiTarget, method: "GET" | "POST", path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
  const url = `${target.baseUrl.replace(/\/+$/, "")}/${path.replace(/^\//, "")}`;
  const retries = target.retries ?? 3;
  for (let attempt = 0; ; attempt++) {
    if (signal?.aborted) throw new AbortedError();
    const headers: Record<string, string> = { accept: "application/json" };
    if (target.apiKey) headers.authorization = `Bearer ${target.apiKey}`;
    let payload: FormData | string | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers["content-type"] = "application/json";
      payload = JSON.stringify(body);
    }
    const timeout = AbortSignal.timeout(target.timeoutMs ?? 120_000);
    let response: Response;
    try {
      response = await fetch(url, { method, headers, body: payload, signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
    } catch (error) {
      if (signal?.aborted) throw new AbortedError();
      if (attempt < retries) {
        await sleep(500 * 2 ** attempt, undefined, { signal }).catch(() => undefined);
        continue;
      }
      throw new FineTuneApiError(`${method} ${url} failed: ${(error as Error).message}`, url, undefined, { cause: error });
    }
    const text = await response.text();
    if (response.ok) {
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new FineTuneApiError(`${method} ${url}: the response is not JSON: ${text.slice(0, 200)}`, url, response.status);
      }
    }
    if ((response.status >= 500 || response.status === 429) && attempt < retries) {
      await sleep(retryAfterMs(response, 500 * 2 ** attempt), undefined, { signal }).catch(() => undefined);
      continue;
    }
    throw new FineTuneApiError(`${method} ${url} → HTTP ${response.status}: ${apiErrorMessage(text)}`, url, response.status);
  }
}
