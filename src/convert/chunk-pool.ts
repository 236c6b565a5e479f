/**
 * Runs chunk conversions on worker threads (quantization is CPU-bound; reading and writing stay on the main thread).
 * With 0 threads it converts inline. Source buffers are transferred, not copied.
 */
import { createRequire } from "node:module";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { convertChunk, type ChunkJob } from "./convert-chunk.js";

/** Default worker count: all cores but one (the main thread reads and writes), at most 8. */
export function defaultConvertThreads(): number {
  return Math.max(1, Math.min(availableParallelism() - 1, 8));
}

interface Pending {
  resolve: (out: Uint8Array) => void;
  reject: (error: Error) => void;
}

function spawnWorker(): Worker {
  if (!import.meta.url.endsWith(".ts")) return new Worker(new URL("./chunk-worker.js", import.meta.url));
  // Running from TypeScript source (tests, benchmarks): the worker registers tsx's loader before importing the entry.
  // tsx's "./esm/api" export (import condition); resolved via its package root since require() would pick the .cjs.
  const api = pathToFileURL(join(dirname(createRequire(import.meta.url).resolve("tsx")), "esm", "api", "index.mjs")).href;
  const entry = new URL("./chunk-worker.ts", import.meta.url).href;
  return new Worker(`import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry)}); });`, { eval: true });
}

export class ChunkPool {
  private readonly idle: Worker[] = [];
  private readonly all: Worker[] = [];
  private readonly queue: { id: number; job: ChunkJob }[] = [];
  private readonly pending = new Map<number, Pending>();
  private readonly busy = new Map<Worker, number>();
  private nextId = 0;
  private failure: Error | undefined;

  constructor(readonly threads: number) {
    for (let i = 0; i < threads; i++) {
      const worker = spawnWorker();
      worker.on("message", (msg: { id: number; out?: Uint8Array; error?: string }) => {
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        this.busy.delete(worker);
        if (msg.error !== undefined || !msg.out) p?.reject(new Error(msg.error ?? "worker returned nothing"));
        else p?.resolve(new Uint8Array(msg.out.buffer, msg.out.byteOffset, msg.out.byteLength));
        this.idle.push(worker);
        this.dispatch();
      });
      worker.on("error", (error) => this.fail(error));
      worker.on("exit", (code) => code !== 0 && this.fail(new Error(`conversion worker exited with code ${code}`)));
      this.all.push(worker);
      this.idle.push(worker);
    }
  }

  /** Jobs a caller should keep queued to keep every worker busy. */
  get parallelism(): number {
    return Math.max(1, this.threads);
  }

  run(job: ChunkJob): Promise<Uint8Array> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.threads === 0) return Promise.resolve().then(() => convertChunk(job));
    const id = this.nextId++;
    const promise = new Promise<Uint8Array>((resolve, reject) => this.pending.set(id, { resolve, reject }));
    this.queue.push({ id, job });
    this.dispatch();
    return promise;
  }

  private dispatch(): void {
    while (this.idle.length && this.queue.length) {
      const worker = this.idle.pop()!;
      const { id, job } = this.queue.shift()!;
      this.busy.set(worker, id);
      const src = job.src.byteOffset === 0 && job.src.byteLength === job.src.buffer.byteLength ? job.src : job.src.slice();
      worker.postMessage({ id, job: { ...job, src } }, [src.buffer as ArrayBuffer]);
    }
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
  }

  async close(): Promise<void> {
    this.failure ??= new Error("chunk pool closed");
    await Promise.all(this.all.map((w) => w.terminate()));
  }
}
