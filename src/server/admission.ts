import { AbortedError, ServiceError } from "../errors.js";

interface Waiter {
  resolve: (release: () => void) => void;
  reject: (error: unknown) => void;
  signal: AbortSignal;
  onAbort: () => void;
}

/**
 * The global in-flight limit: at most `maxActive` requests do model work at once, at most `maxQueued` wait for a
 * slot, and the rest are refused at once (503 + Retry-After), so memory never grows with the load.
 */
export class Admission {
  private active = 0;
  private readonly waiting: Waiter[] = [];

  constructor(
    readonly maxActive: number,
    readonly maxQueued: number,
    private readonly retryAfterS = 1,
  ) {}

  get inFlight(): number {
    return this.active;
  }

  get queued(): number {
    return this.waiting.length;
  }

  /** Waits for a slot; the returned function frees it. Rejects when the queue is full or the signal aborts. */
  acquire(signal: AbortSignal): Promise<() => void> {
    if (signal.aborted) return Promise.reject(new AbortedError());
    if (this.active < this.maxActive) {
      this.active++;
      return Promise.resolve(this.releaser());
    }
    if (this.waiting.length >= this.maxQueued) {
      return Promise.reject(new ServiceError("overloaded", `the server is at capacity (${this.maxActive} running, ${this.maxQueued} waiting); retry later`, this.retryAfterS));
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        signal,
        onAbort: () => {
          const at = this.waiting.indexOf(waiter);
          if (at >= 0) this.waiting.splice(at, 1);
          reject(new AbortedError());
        },
      };
      signal.addEventListener("abort", waiter.onAbort, { once: true });
      this.waiting.push(waiter);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (!next) {
        this.active--;
        return;
      }
      // The slot passes straight to the next waiter, so `active` stays the same.
      next.signal.removeEventListener("abort", next.onAbort);
      next.resolve(this.releaser());
    };
  }
}
