import { AbortedError } from "../errors.js";

interface Call<T> {
  promise: Promise<T>;
  controller: AbortController;
  waiters: number;
}

/**
 * Concurrent identical requests share one call. The call is aborted only when every request waiting on it has gone
 * (disconnected or timed out), so one impatient client never fails the others.
 */
export class SingleFlight<T> {
  private readonly calls = new Map<string, Call<T>>();

  get size(): number {
    return this.calls.size;
  }

  run(key: string, signal: AbortSignal, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (signal.aborted) return Promise.reject(new AbortedError());
    let call = this.calls.get(key);
    if (!call) {
      const controller = new AbortController();
      const created: Call<T> = { controller, waiters: 0, promise: Promise.resolve().then(() => work(controller.signal)) };
      created.promise.then(
        () => this.forget(key, created),
        () => this.forget(key, created),
      );
      this.calls.set(key, created);
      call = created;
    }
    const shared = call;
    shared.waiters++;
    return new Promise<T>((resolve, reject) => {
      const leave = () => {
        shared.waiters--;
        if (shared.waiters === 0) {
          shared.controller.abort();
          this.forget(key, shared);
        }
        reject(new AbortedError());
      };
      signal.addEventListener("abort", leave, { once: true });
      shared.promise.then(
        (value) => {
          signal.removeEventListener("abort", leave);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener("abort", leave);
          reject(error);
        },
      );
    });
  }

  private forget(key: string, call: Call<T>): void {
    if (this.calls.get(key) === call) this.calls.delete(key);
  }
}
