import { relative } from "node:path";
import type { RewardBackend, RewardBackendInfo, RewardRequest, RewardResult } from "../reward/types.js";
import type { RewardCache } from "../reward/reward-cache.js";
import { SingleFlight } from "../util/single-flight.js";
import type { JobClient } from "./job-client.js";
import { rewardJobId, rewardQueueName, type RewardJobResult } from "./job-kinds.js";

export interface QueueRewardOptions {
  client: JobClient;
  info: RewardBackendInfo;
  cache: RewardCache;
  concurrency: number;
  /** Scores that came back with their video from a render-and-score job (taken once, then forgotten). */
  scores?: Map<string, RewardResult>;
}

/** Scores through the queue: a score from a render-and-score job or in the shared cache is used as is. */
export class QueueRewardBackend implements RewardBackend {
  readonly info: RewardBackendInfo;
  readonly concurrency: number;
  private readonly flights = new SingleFlight<RewardResult>();

  constructor(private readonly options: QueueRewardOptions) {
    this.info = options.info;
    this.concurrency = options.concurrency;
  }

  score(request: RewardRequest): Promise<RewardResult> {
    const { cache, client, scores } = this.options;
    const data = { videoPath: request.videoPath, videoSha256: request.videoSha256, query: request.query, prompt: request.prompt, backend: this.info.id };
    const key = cache.key(this.info.id, request);
    return this.flights.run(key, async () => {
      const combined = scores?.get(key);
      if (combined) {
        scores!.delete(key);
        return combined;
      }
      const cached = cache.lookup(key);
      if (cached) return cached;
      const result = await client.run<RewardJobResult>(rewardQueueName(this.info.id), rewardJobId(key), { ...data, videoFile: relative(cache.dir, request.videoPath) }, request.signal);
      return result.reward;
    });
  }
}
