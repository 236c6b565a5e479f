import type { Admission } from "./admission.js";
import type { ServerMetrics } from "./metrics.js";
import type { RequestScope } from "./request-scope.js";
import type { ResultCache } from "./result-cache.js";
import { SingleFlight } from "./single-flight.js";

export type CacheOutcome = "hit" | "miss";

/**
 * Runs a request's model work under the service's limits: the result cache and shared calls for deterministic
 * requests, a slot of the global in-flight limit, and the request's own timeout and disconnect signal.
 */
export class RequestRunner {
  private readonly flights = new SingleFlight<{ json: string; store: boolean }>();

  constructor(
    private readonly admission: Admission,
    private readonly metrics: ServerMetrics,
    private readonly cache?: ResultCache,
  ) {}

  /** Work that holds an in-flight slot while it runs (waiting in the bounded queue for one first). */
  async limited<T>(scope: RequestScope, work: (signal: AbortSignal) => Promise<T>, signal: AbortSignal = scope.signal): Promise<T> {
    let release: (() => void) | undefined;
    try {
      release = await this.admission.acquire(signal);
      return await work(signal);
    } catch (error) {
      throw scope.explain(error);
    } finally {
      release?.();
    }
  }

  /** The cached JSON of a deterministic request (counted as a hit or a miss); undefined without a key or a cache. */
  lookup(key: string | undefined): string | undefined {
    if (!key || !this.cache) return undefined;
    const hit = this.cache.get(key);
    this.metrics.cache.inc({ result: hit === undefined ? "miss" : "hit" });
    return hit;
  }

  /** Caches a deterministic answer. */
  remember(key: string | undefined, json: string): void {
    if (key && this.cache) this.cache.set(key, json);
  }

  /**
   * A deterministic request (`key` set): served from the cache, or by one shared call per key in flight, then
   * cached when the work says `store` (a deterministic success). Without a key: the work alone. Each request gets
   * its own copy of the value (parsed from the shared JSON).
   */
  async run<T>(scope: RequestScope, key: string | undefined, work: (signal: AbortSignal) => Promise<{ value: T; store: boolean }>): Promise<{ value: T; cache?: CacheOutcome }> {
    if (!key) return { value: (await this.limited(scope, work)).value };
    const hit = this.lookup(key);
    if (hit !== undefined) return { value: JSON.parse(hit) as T, cache: "hit" };
    try {
      const { json } = await this.flights.run(key, scope.signal, async (shared) => {
        const { value, store } = await this.limited(scope, work, shared);
        const text = JSON.stringify(value);
        if (store) this.remember(key, text);
        return { json: text, store };
      });
      return { value: JSON.parse(json) as T, cache: "miss" };
    } catch (error) {
      throw scope.explain(error);
    }
  }
}
