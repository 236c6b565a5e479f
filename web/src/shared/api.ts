/**
 * The one way pages reach the vpo server: JSON in, JSON out, the API key (when the server wants one) from
 * localStorage, and every failure as an ApiError whose message is safe to show.
 */

const KEY_STORAGE = "vpo.apiKey";

export class ApiError extends Error {
  /** HTTP status, or 0 when the server could not be reached at all. */
  readonly status: number;
  /** vpo's stable error code (`unauthorized`, `too-large`, …), `unreachable` or `bad-response`. */
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

export function apiKey(): string {
  try {
    return localStorage.getItem(KEY_STORAGE) ?? "";
  } catch {
    return "";
  }
}

export function setApiKey(key: string): void {
  try {
    if (key) localStorage.setItem(KEY_STORAGE, key);
    else localStorage.removeItem(KEY_STORAGE);
  } catch {
    // storage disabled (private mode): the key lasts until the page closes
  }
  listeners.forEach((listener) => listener());
}

const listeners = new Set<() => void>();
/** Called when the key changes (so pages retry what failed with `unauthorized`). */
export function onApiKeyChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function authHeaders(): Record<string, string> {
  const key = apiKey();
  return key ? { authorization: `Bearer ${key}` } : {};
}

interface ErrorBody {
  error?: { code?: string; message?: string };
}

/** Reads vpo's error body (`{error: {code, message}}`), falling back to the status line. */
export async function errorFrom(response: Response): Promise<ApiError> {
  let body: ErrorBody | undefined;
  try {
    body = (await response.json()) as ErrorBody;
  } catch {
    body = undefined;
  }
  const code = body?.error?.code ?? (response.status === 401 ? "unauthorized" : `http-${response.status}`);
  const message = body?.error?.message ?? `the server answered HTTP ${response.status}`;
  return new ApiError(response.status, code, message);
}

export interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "DELETE";
  body?: unknown;
  signal?: AbortSignal;
}

/** A fetch to the server; rejects with ApiError (status 0 when the server is down). */
export async function request(path: string, options: RequestOptions = {}): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? (options.body === undefined ? "GET" : "POST"),
      headers: { ...authHeaders(), ...(options.body === undefined ? {} : { "content-type": "application/json" }) },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      ...(options.signal ? { signal: options.signal } : {}),
      credentials: "same-origin",
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === "AbortError") throw error;
    reportReachable(false);
    throw new ApiError(0, "unreachable", "the vpo server cannot be reached");
  }
  reportReachable(true);
  if (!response.ok) throw await errorFrom(response);
  return response;
}

/** GET or POST that returns the parsed JSON body. */
export async function getJson<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await request(path, options);
  try {
    return (await response.json()) as T;
  } catch {
    throw new ApiError(response.status, "bad-response", "the server's answer is not JSON");
  }
}

type ReachListener = (reachable: boolean) => void;
const reachListeners = new Set<ReachListener>();
/** The banner listens here: every request says whether the server answered. */
export function onReachability(listener: ReachListener): () => void {
  reachListeners.add(listener);
  return () => reachListeners.delete(listener);
}
function reportReachable(reachable: boolean): void {
  reachListeners.forEach((listener) => listener(reachable));
}
