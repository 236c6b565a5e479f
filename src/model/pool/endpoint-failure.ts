import { APICallError } from "@ai-sdk/provider";
import { BackendError } from "../../errors.js";

/**
 * Whether a failed request says something about the endpoint (down, overloaded, timing out) rather than about the
 * request: only those count towards ejection and move the request to another endpoint. A 400 would fail anywhere.
 */
export function isEndpointFailure(error: unknown): boolean {
  if (!(error instanceof BackendError)) return false;
  if (error.timedOut) return true;
  if (APICallError.isInstance(error.cause)) return error.cause.isRetryable || error.cause.statusCode === undefined;
  return error.status === undefined || error.status >= 500 || error.status === 429 || error.status === 408;
}

/** The server's own error behind a BackendError, for its Retry-After header. */
export function apiCallCause(error: unknown): unknown {
  return error instanceof BackendError && APICallError.isInstance(error.cause) ? error.cause : error;
}
