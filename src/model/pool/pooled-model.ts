import type { LanguageModelV3 } from "@ai-sdk/provider";
import { delay } from "@ai-sdk/provider-utils";
import { AbortedError, BackendError, VpoError } from "../../errors.js";
import { silentLogger, type Logger } from "../../util/logger.js";
import { retryDelayMs } from "../retry.js";
import type { EndpointStats, GenerateRequest, GenerateResult, ModelInfo, TextModel } from "../types.js";
import { Endpoint, leastLoaded } from "./endpoint.js";
import { apiCallCause, isEndpointFailure } from "./endpoint-failure.js";
import type { HealthOutcome } from "./health-check.js";

export type PoolEvent =
  | { type: "ejected"; baseUrl: string; reason: string }
  | { type: "readmitted"; baseUrl: string }
  | { type: "still-down"; baseUrl: string; reason: string };

export interface PoolOptions {
  /** Consecutive failures that take an endpoint out of the rotation (default 3). */
  ejectAfter?: number;
  /** How long an ejected endpoint rests before a health check may re-admit it (default 30 s; doubles while it stays down, up to 8×). */
  cooldownMs?: number;
  /** Timeout of one health check (default 5 s). */
  healthTimeoutMs?: number;
  /** Told of every ejection and re-admission (reports, tests); the logger gets them as warnings too. */
  onEvent?: (event: PoolEvent) => void;
}

export interface PooledModelOptions extends PoolOptions {
  info: ModelInfo;
  /** One client per endpoint, each without retries of its own (the pool retries, on another endpoint). */
  endpoints: { baseUrl: string; client: TextModel; limit: number; healthy: boolean; reason?: string }[];
  check: (baseUrl: string) => Promise<HealthOutcome>;
  /**
   * Rounds after the first (default 2): a request that fails because of its endpoint goes to the next endpoint at
   * once, and only when every endpoint of the rotation has failed it does it wait and start another round.
   */
  retries?: number;
  /** Backoff before another round (default 1000 ms, doubling; a Retry-After header overrides it). */
  retryDelayMs?: number;
  logger?: Logger;
}

/**
 * A TextModel over several OpenAI-compatible endpoints serving the same model: each request goes to the admitted
 * endpoint with the fewest requests in flight (each endpoint has its own limit); a request that fails because of its
 * endpoint is sent again to another one (generation is idempotent); `ejectAfter` consecutive failures take an
 * endpoint out of the rotation until, after a cool-down, a health check re-admits it. With every endpoint out, all of
 * them are tried again rather than failing every request (a pool-wide outage is as a single server's).
 */
export class PooledModel implements TextModel {
  readonly info: ModelInfo;
  readonly concurrency: number;
  private readonly endpoints: Endpoint[];
  private readonly waiters: (() => void)[] = [];
  private readonly logger: Logger;
  private disposed = false;

  constructor(private readonly options: PooledModelOptions) {
    this.info = options.info;
    this.logger = options.logger ?? silentLogger;
    this.endpoints = options.endpoints.map((e, i) => new Endpoint(i, e.baseUrl, e.client, e.limit));
    this.concurrency = this.endpoints.reduce((n, e) => n + e.limit, 0);
    options.endpoints.forEach((e, i) => {
      if (!e.healthy) this.eject(this.endpoints[i]!, `health check at start failed: ${e.reason ?? "no answer"}`);
    });
  }

  /** The first endpoint's model; a caller going through it directly bypasses the pool. */
  get languageModel(): LanguageModelV3 {
    return this.endpoints[0]!.client.languageModel;
  }

  endpointStats(): EndpointStats[] {
    return this.endpoints.map((e) => e.stats());
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    const { retries = 2, retryDelayMs: initialDelay = 1000 } = this.options;
    const tried = new Set<Endpoint>();
    let requests = 0;
    let rounds = 0;
    let lastError: unknown;
    for (;;) {
      // A round tries each endpoint of the rotation once; `retries` more rounds follow, each after a backoff.
      if (tried.size && this.rotation().every((e) => tried.has(e))) {
        if (rounds >= retries) throw this.poolError(lastError, requests);
        await delay(retryDelayMs(apiCallCause(lastError), initialDelay * 2 ** rounds++), { abortSignal: request.signal }).catch(() => Promise.reject(new AbortedError()));
        tried.clear();
      }
      const endpoint = await this.acquire(tried, request.signal);
      endpoint.requests++;
      requests++;
      try {
        const result = await endpoint.client.generate(request);
        this.succeeded(endpoint);
        return { ...result, usage: { ...result.usage, requests } };
      } catch (error) {
        if (request.signal?.aborted) throw new AbortedError();
        if (!isEndpointFailure(error)) throw error;
        lastError = error;
        tried.add(endpoint);
        this.failed(endpoint, error);
      } finally {
        endpoint.inFlight--;
        this.wake();
      }
    }
  }

  /** Admitted endpoints, or every endpoint while none is. */
  private rotation(): Endpoint[] {
    const admitted = this.endpoints.filter((e) => e.admitted);
    return admitted.length ? admitted : this.endpoints;
  }

  /** A slot on the least loaded endpoint of the rotation, one the request has not failed on while there is one. */
  private async acquire(tried: Set<Endpoint>, signal: AbortSignal | undefined): Promise<Endpoint> {
    for (;;) {
      if (this.disposed) throw new VpoError("aborted", "model pool is disposed");
      if (signal?.aborted) throw new AbortedError();
      const rotation = this.rotation();
      const untried = rotation.filter((e) => !tried.has(e));
      const endpoint = leastLoaded((untried.length ? untried : rotation).filter((e) => e.free));
      if (endpoint) {
        endpoint.inFlight++;
        return endpoint;
      }
      await new Promise<void>((resolve, reject) => {
        const onAbort = () => reject(new AbortedError());
        signal?.addEventListener("abort", onAbort, { once: true });
        this.waiters.push(() => {
          signal?.removeEventListener("abort", onAbort);
          resolve();
        });
      });
    }
  }

  /** Every waiter looks again (a slot freed, or the rotation changed); those that find nothing wait again. */
  private wake(): void {
    for (const resume of this.waiters.splice(0)) resume();
  }

  private succeeded(endpoint: Endpoint): void {
    endpoint.consecutiveFailures = 0;
    if (!endpoint.admitted) this.readmit(endpoint);
  }

  private failed(endpoint: Endpoint, error: unknown): void {
    endpoint.failures++;
    endpoint.consecutiveFailures++;
    if (!endpoint.admitted || endpoint.consecutiveFailures < (this.options.ejectAfter ?? 3)) return;
    const message = error instanceof Error ? error.message : String(error);
    this.eject(endpoint, `${endpoint.consecutiveFailures} failures in a row (last: ${message})`);
  }

  private eject(endpoint: Endpoint, reason: string): void {
    endpoint.admitted = false;
    endpoint.ejections++;
    this.logger.warn(`endpoint ${endpoint.baseUrl} ejected from the pool: ${reason}`);
    this.options.onEvent?.({ type: "ejected", baseUrl: endpoint.baseUrl, reason });
    this.scheduleCheck(endpoint, 0);
    this.wake();
  }

  private readmit(endpoint: Endpoint): void {
    clearTimeout(endpoint.timer);
    endpoint.timer = undefined;
    endpoint.admitted = true;
    endpoint.consecutiveFailures = 0;
    this.logger.warn(`endpoint ${endpoint.baseUrl} re-admitted to the pool`);
    this.options.onEvent?.({ type: "readmitted", baseUrl: endpoint.baseUrl });
    this.wake();
  }

  private scheduleCheck(endpoint: Endpoint, downChecks: number): void {
    clearTimeout(endpoint.timer);
    const wait = (this.options.cooldownMs ?? 30_000) * 2 ** Math.min(downChecks, 3);
    endpoint.timer = setTimeout(() => {
      void this.options.check(endpoint.baseUrl).then((outcome) => {
        if (this.disposed || endpoint.admitted) return;
        if (outcome.ok) return this.readmit(endpoint);
        this.options.onEvent?.({ type: "still-down", baseUrl: endpoint.baseUrl, reason: outcome.reason });
        this.scheduleCheck(endpoint, downChecks + 1);
      });
    }, wait);
    // A cool-down never keeps the process alive.
    endpoint.timer.unref();
  }

  private poolError(error: unknown, requests: number): VpoError {
    const where = `pool of ${this.endpoints.length} endpoints, ${requests} attempts`;
    if (error instanceof BackendError) return new BackendError(`${error.message} (${where})`, error.url, error.status, { cause: error, timedOut: error.timedOut });
    return new BackendError(`model pool failed (${where})`, undefined, undefined, { cause: error });
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const e of this.endpoints) clearTimeout(e.timer);
    this.wake();
    await Promise.all(this.endpoints.map((e) => e.client.dispose()));
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.dispose();
  }
}
