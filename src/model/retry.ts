import { APICallError } from "@ai-sdk/provider";

/** Delay before the next attempt: the server's Retry-After / retry-after-ms when it sent one, else the backoff. */
export function retryDelayMs(error: unknown, backoffMs: number, maxHonouredMs = 120_000): number {
  const headers = APICallError.isInstance(error) ? error.responseHeaders : undefined;
  if (!headers) return backoffMs;
  const ms = headers["retry-after-ms"];
  if (ms !== undefined && !Number.isNaN(parseFloat(ms))) return clamp(parseFloat(ms), backoffMs, maxHonouredMs);
  const after = headers["retry-after"];
  if (after === undefined) return backoffMs;
  const seconds = Number(after);
  const wait = Number.isNaN(seconds) ? Date.parse(after) - Date.now() : seconds * 1000;
  return Number.isNaN(wait) ? backoffMs : clamp(wait, backoffMs, maxHonouredMs);
}

function clamp(wait: number, fallback: number, max: number): number {
  if (wait < 0) return 0;
  return wait <= max ? wait : fallback;
}
