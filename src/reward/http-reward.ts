import { readFileSync } from "node:fs";
import PQueue from "p-queue";
import { AbortedError, BackendError, UsageError } from "../errors.js";
import { tail } from "../util/files.js";
import { checklistQuestions, type Checklist } from "./checklist.js";
import { SingleFlight } from "../util/single-flight.js";
import type { RewardCache } from "./reward-cache.js";
import { parseRewardJson } from "./reward-json.js";
import type { RewardBackend, RewardRequest, RewardResult } from "./types.js";

export interface HttpRewardOptions {
  url: string;
  apiKey?: string;
  checklist: Checklist;
  cache: RewardCache;
  /** Send the video's bytes as base64 (default true); false sends only its path (a shared file system). */
  inlineVideo?: boolean;
  timeoutMs?: number;
  retries?: number;
  retryDelayMs?: number;
  concurrency?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A reward service over HTTP. Contract: `POST url` with JSON `{"query", "prompt", "questions": [the checklist,
 * questions 1–4 holding the original query], "video": {"path", "sha256", "media_type", "base64"?}}`; the answer is
 * the reward JSON of the command contract: `{"answers": ["yes" | "no", …]}` or `{"score": x}`.
 * 5xx, 429 and connection failures are retried.
 */
export class HttpRewardBackend implements RewardBackend {
  readonly info;
  readonly concurrency: number;
  private readonly queue: PQueue;
  private readonly flights = new SingleFlight<RewardResult>();

  constructor(private readonly options: HttpRewardOptions) {
    try {
      new URL(options.url);
    } catch {
      throw new UsageError(`--reward-url "${options.url}" is not a URL`);
    }
    this.info = { kind: "http" as const, id: `http:${options.url}|checklist:${options.checklist.version}` };
    this.concurrency = options.concurrency ?? 1;
    this.queue = new PQueue({ concurrency: this.concurrency });
  }

  async score(request: RewardRequest): Promise<RewardResult> {
    const key = this.options.cache.key(this.info.id, request);
    return this.flights.run(key, async () => this.options.cache.lookup(key) ?? ((await this.queue.add(() => this.post(key, request), { signal: request.signal })) as RewardResult));
  }

  private async post(key: string, request: RewardRequest): Promise<RewardResult> {
    const { url, apiKey, checklist, inlineVideo = true, timeoutMs = 600_000, retries = 2, retryDelayMs = 1000 } = this.options;
    const body = JSON.stringify({
      query: request.query,
      prompt: request.prompt,
      questions: checklistQuestions(checklist, request.query),
      video: {
        path: request.videoPath,
        sha256: request.videoSha256,
        media_type: request.videoPath.endsWith(".webm") ? "video/webm" : "video/mp4",
        ...(inlineVideo ? { base64: readFileSync(request.videoPath).toString("base64") } : {}),
      },
    });
    for (let attempt = 0; ; attempt++) {
      const signal = request.signal ? AbortSignal.any([request.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
      let failure: string;
      try {
        const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) }, body, signal });
        const text = await response.text();
        if (response.ok) {
          const parsed = parseRewardJson(text, checklist);
          if (!parsed.ok) throw new BackendError(`reward service ${url} ${parsed.reason}`, url, response.status);
          return this.options.cache.store(key, parsed.reward);
        }
        failure = `HTTP ${response.status}${text ? `: ${tail(text, 200)}` : ""}`;
        if (response.status < 500 && response.status !== 429) throw new BackendError(`reward service ${url} failed: ${failure}`, url, response.status);
      } catch (error) {
        if (request.signal?.aborted) throw new AbortedError();
        if (error instanceof BackendError) throw error;
        failure = signal.aborted ? `timed out after ${timeoutMs / 1000} s` : error instanceof Error && error.cause instanceof Error ? error.cause.message : String(error);
      }
      if (attempt >= retries) throw new BackendError(`reward service ${url} failed: ${failure} (after ${attempt + 1} attempts)`, url);
      await sleep(retryDelayMs * 2 ** attempt);
    }
  }
}
