/** Every limit of the service; each has a `vpo serve` flag (README "HTTP service"). */
export interface ServerLimits {
  /** Largest request body; beyond it 413 (--body-limit, bytes). */
  bodyLimitBytes: number;
  /** Most queries in one /v1/optimize request (--max-batch). */
  maxBatch: number;
  /** Requests doing model work at once (--max-in-flight). */
  maxInFlight: number;
  /** Requests waiting for a slot; beyond it 503 + Retry-After (--max-queue). */
  maxQueued: number;
  /** A request's whole time in vpo, queueing included; beyond it 504 (--request-timeout). */
  requestTimeoutMs: number;
  /** Time for a client to send its headers; slower clients are cut off with 408 (--headers-timeout). */
  headersTimeoutMs: number;
  /** Time for a client to send its whole request, body included (--body-timeout). */
  bodyTimeoutMs: number;
  /** Idle keep-alive connections are closed after this (--keep-alive-timeout). */
  keepAliveTimeoutMs: number;
  /** Requests per key (per client address without keys) in each window; beyond it 429 + Retry-After (--rate-limit, --rate-window). 0: off. */
  rateLimit: { max: number; windowMs: number };
}

export const DEFAULT_LIMITS: ServerLimits = {
  bodyLimitBytes: 256 * 1024,
  maxBatch: 16,
  maxInFlight: 64,
  maxQueued: 256,
  requestTimeoutMs: 180_000,
  headersTimeoutMs: 10_000,
  bodyTimeoutMs: 30_000,
  keepAliveTimeoutMs: 5_000,
  rateLimit: { max: 600, windowMs: 60_000 },
};
