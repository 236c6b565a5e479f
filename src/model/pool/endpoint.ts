import type { EndpointStats, TextModel } from "../types.js";

/** One member of a pool: its client, its slots and its health. */
export class Endpoint {
  requests = 0;
  failures = 0;
  ejections = 0;
  inFlight = 0;
  consecutiveFailures = 0;
  admitted = true;
  /** The cool-down (then health check) that may re-admit it. */
  timer: NodeJS.Timeout | undefined;

  constructor(
    readonly index: number,
    readonly baseUrl: string,
    readonly client: TextModel,
    /** Requests it takes at once. */
    readonly limit: number,
  ) {}

  get free(): boolean {
    return this.inFlight < this.limit;
  }

  stats(): EndpointStats {
    return { baseUrl: this.baseUrl, requests: this.requests, failures: this.failures, ejections: this.ejections, inFlight: this.inFlight, admitted: this.admitted };
  }
}

/**
 * Least in flight (relative to its limit), then fewest requests so far, then pool order: the endpoint a new request
 * goes to among `candidates`.
 */
export function leastLoaded(candidates: Endpoint[]): Endpoint | undefined {
  let best: Endpoint | undefined;
  for (const e of candidates) {
    if (!best) best = e;
    else {
      const load = e.inFlight / e.limit - best.inFlight / best.limit;
      if (load < 0 || (load === 0 && (e.requests < best.requests || (e.requests === best.requests && e.index < best.index)))) best = e;
    }
  }
  return best;
}
