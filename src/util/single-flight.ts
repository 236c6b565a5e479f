/**
 * Runs one task per key at a time: a caller asking for a key already in flight shares that task's promise. Backends
 * use it so two requests for the same content hash (two systems giving the same prompt, an iteration that repeats its
 * prompt) render or score once instead of racing for the same job files.
 */
export class SingleFlight<T> {
  private readonly inflight = new Map<string, Promise<T>>();

  run(key: string, task: () => Promise<T>): Promise<T> {
    const running = this.inflight.get(key);
    if (running) return running;
    const promise = task().finally(() => this.inflight.delete(key));
    this.inflight.set(key, promise);
    return promise;
  }
}
