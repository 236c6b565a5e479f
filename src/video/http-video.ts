import { copyFileSync, createWriteStream, rmSync, statSync, writeFileSync } from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import PQueue from "p-queue";
import { AbortedError, BackendError, UsageError } from "../errors.js";
import { tail } from "../util/files.js";
import type { VideoBackend, VideoRequest, VideoResult } from "./types.js";
import { SingleFlight } from "../util/single-flight.js";
import type { VideoCache } from "./video-cache.js";

export interface HttpVideoOptions {
  url: string;
  apiKey?: string;
  cache: VideoCache;
  /** Per attempt (default 900 s). */
  timeoutMs?: number;
  /** Retries of 5xx, 429 and connection failures (default 2). */
  retries?: number;
  retryDelayMs?: number;
  concurrency?: number;
  /** Extension of the stored file (default "mp4"). */
  extension?: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class RetryableError extends Error {}

/**
 * A video service over HTTP. Contract: `POST url` with JSON `{"prompt", "query", "seed", "id"}` and header
 * `Idempotency-Key: id` (the request's content hash, so a service may deduplicate). A 2xx answer is either the video
 * itself (`Content-Type: video/*` or `application/octet-stream`) or JSON naming it: `{"url": "…"}` (fetched with
 * GET), `{"path": "…"}` (a file on a shared file system, copied) or `{"video_base64": "…"}`.
 * 5xx, 429 and connection failures are retried; other statuses fail the item with the service's message.
 */
export class HttpVideoBackend implements VideoBackend {
  readonly info;
  readonly concurrency: number;
  private readonly queue: PQueue;
  private readonly extension: string;
  private readonly flights = new SingleFlight<VideoResult>();

  constructor(private readonly options: HttpVideoOptions) {
    try {
      new URL(options.url);
    } catch {
      throw new UsageError(`--video-url "${options.url}" is not a URL`);
    }
    this.info = { kind: "http" as const, id: `http:${options.url}` };
    this.concurrency = options.concurrency ?? 1;
    this.queue = new PQueue({ concurrency: this.concurrency });
    this.extension = (options.extension ?? "mp4").replace(/^\./, "");
  }

  async generate(request: VideoRequest): Promise<VideoResult> {
    const { cache } = this.options;
    const key = cache.key(this.info.id, request);
    return this.flights.run(key, async () => (await cache.find(key, this.extension, this.info.id)) ?? ((await this.queue.add(() => this.fetchWithRetries(key, request), { signal: request.signal })) as VideoResult));
  }

  private async fetchWithRetries(key: string, request: VideoRequest): Promise<VideoResult> {
    const { retries = 2, retryDelayMs = 1000 } = this.options;
    const file = `${this.options.cache.jobBase(key)}.download.${this.extension}`;
    try {
      for (let attempt = 0; ; attempt++) {
        try {
          await this.fetchOnce(key, request, file);
          if (statSync(file).size === 0) throw new BackendError(`video service ${this.options.url} returned an empty video`, this.options.url);
          return await this.options.cache.install(key, file, this.extension, this.info.id);
        } catch (error) {
          if (request.signal?.aborted) throw new AbortedError();
          if (!(error instanceof RetryableError) || attempt >= retries) {
            if (error instanceof RetryableError) throw new BackendError(`${error.message} (after ${attempt + 1} attempts)`, this.options.url);
            throw error;
          }
          await sleep(retryDelayMs * 2 ** attempt);
        }
      }
    } finally {
      rmSync(file, { force: true });
    }
  }

  private async fetchOnce(key: string, request: VideoRequest, file: string): Promise<void> {
    const { url, apiKey, timeoutMs = 900_000 } = this.options;
    const signal = request.signal ? AbortSignal.any([request.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
    let response: Response;
    try {
      response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", "idempotency-key": key, ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
        body: JSON.stringify({ prompt: request.prompt, query: request.query, seed: request.seed, id: key }),
        signal,
      });
    } catch (error) {
      if (request.signal?.aborted) throw new AbortedError();
      const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : (error as Error).message;
      throw new RetryableError(`video service ${url} failed: ${signal.aborted ? `timed out after ${timeoutMs / 1000} s` : cause}`);
    }
    if (!response.ok) {
      const body = tail(await response.text().catch(() => ""), 200);
      const message = `video service ${url} failed: HTTP ${response.status}${body ? `: ${body}` : ""}`;
      if (response.status >= 500 || response.status === 429) throw new RetryableError(message);
      throw new BackendError(message, url, response.status);
    }
    const type = response.headers.get("content-type") ?? "";
    if (!type.includes("json")) {
      await pipeline(Readable.fromWeb(response.body as import("node:stream/web").ReadableStream), createWriteStream(file));
      return;
    }
    const body = (await response.json().catch(() => null)) as { url?: unknown; path?: unknown; video_base64?: unknown; error?: unknown } | null;
    if (typeof body?.url === "string") {
      const download = await fetch(body.url, { signal });
      if (!download.ok || !download.body) throw new RetryableError(`video service ${url}: downloading ${body.url} failed: HTTP ${download.status}`);
      await pipeline(Readable.fromWeb(download.body as import("node:stream/web").ReadableStream), createWriteStream(file));
    } else if (typeof body?.path === "string") {
      copyFileSync(body.path, file);
    } else if (typeof body?.video_base64 === "string") {
      writeFileSync(file, Buffer.from(body.video_base64, "base64"));
    } else {
      const why = typeof body?.error === "string" ? body.error : 'expected a video body or JSON with "url", "path" or "video_base64"';
      throw new BackendError(`video service ${url} answered without a video: ${why}`, url);
    }
  }
}
