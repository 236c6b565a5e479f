import type { BackendFailure, VpoErrorCode } from "../errors.js";

/** An error as the server answers it: HTTP status, body, and the Retry-After to send. */
export interface HttpFailure {
  status: number;
  body: { error: { code: string; message: string } };
  retryAfterS?: number;
}

const STATUS: Record<VpoErrorCode | "internal", number> = {
  usage: 400,
  input: 400,
  refused: 422,
  "over-budget": 422,
  unauthorized: 401,
  "not-found": 404,
  "too-large": 413,
  "rate-limited": 429,
  aborted: 499,
  internal: 500,
  integrity: 500,
  "engine-missing": 500,
  "ffmpeg-missing": 500,
  backend: 502,
  "model-output": 502,
  "model-load": 503,
  "no-model": 503,
  overloaded: 503,
  queue: 503,
  timeout: 504,
};

/**
 * 5xx answers never carry the library's message (it names backend URLs and bodies): the client gets one fixed
 * sentence per case and the request id; the server log keeps the details.
 */
const PUBLIC_5XX: Partial<Record<VpoErrorCode | "internal", string>> = {
  internal: "internal error",
  integrity: "internal error",
  "engine-missing": "internal error",
  backend: "the model backend failed",
  "model-output": "the model's reply held no usable prompt",
  "model-load": "the model could not be loaded",
  "no-model": "this server has no model for that request",
  queue: "the work queue is unavailable",
};

/** The status and public body of an error with a vpo code; `backend` refines backend failures. */
export function httpFailure(
  error: { code: VpoErrorCode | "internal"; message: string; backend?: BackendFailure; retryAfterS?: number },
  requestId: string,
): HttpFailure {
  if (error.code === "backend" && error.backend?.timedOut) {
    return { status: 504, body: { error: { code: "backend", message: `the model backend did not answer in time (request ${requestId})` } } };
  }
  if (error.code === "backend" && error.backend?.status === 429) {
    return { status: 503, retryAfterS: 5, body: { error: { code: "backend", message: `the model backend is rate limiting; retry later (request ${requestId})` } } };
  }
  const status = STATUS[error.code] ?? 500;
  const fixed = status >= 500 ? PUBLIC_5XX[error.code] : undefined;
  const message = fixed ? `${fixed} (request ${requestId})` : error.message;
  return { status, body: { error: { code: error.code, message } }, ...(error.retryAfterS !== undefined ? { retryAfterS: error.retryAfterS } : {}) };
}
