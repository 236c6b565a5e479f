import type { RewardResult } from "../reward/types.js";
import { SingleFlight } from "../util/single-flight.js";
import type { VideoBackend, VideoBackendInfo, VideoRequest, VideoResult } from "../video/types.js";
import type { VideoCache } from "../video/video-cache.js";
import type { JobClient } from "./job-client.js";
import { renderScoreJobId, renderScoreQueueName, rewardKey, videoJobId, videoKey, videoQueueName, type RenderScoreJobResult, type VideoJobResult } from "./job-kinds.js";
import { sharedVideo } from "./shared-file.js";

export interface QueueVideoOptions {
  client: JobClient;
  /** The workers' video backend, recorded as the run's provenance as a local run would record it. */
  info: VideoBackendInfo;
  cache: VideoCache;
  /** Jobs kept in flight on the queue. */
  concurrency: number;
  /** Render and score in one job (every video worker also scores): the reward waits in `scores`. */
  combined?: { rewardBackend: string; scores: Map<string, RewardResult> };
}

/** Renders through the queue: a video the shared cache already holds is used as is; otherwise a worker renders it. */
export class QueueVideoBackend implements VideoBackend {
  readonly info: VideoBackendInfo;
  readonly concurrency: number;
  private readonly flights = new SingleFlight<VideoResult>();

  constructor(private readonly options: QueueVideoOptions) {
    this.info = options.info;
    this.concurrency = options.concurrency;
  }

  generate(request: VideoRequest): Promise<VideoResult> {
    const data = { prompt: request.prompt, query: request.query, seed: request.seed, backend: this.info.id };
    const key = videoKey(data);
    return this.flights.run(key, async () => {
      const { cache, client, combined } = this.options;
      const cached = cache.lookup(key);
      if (cached) return cached;
      if (!combined) {
        const result = await client.run<VideoJobResult>(videoQueueName(this.info.id), videoJobId(data), data, request.signal);
        return this.collect(result);
      }
      const job = { ...data, rewardBackend: combined.rewardBackend };
      const result = await client.run<RenderScoreJobResult>(renderScoreQueueName(this.info.id, combined.rewardBackend), renderScoreJobId(job), job, request.signal);
      const video = await this.collect(result);
      combined.scores.set(rewardKey({ backend: combined.rewardBackend, videoSha256: video.sha256, query: request.query, prompt: request.prompt }), result.reward);
      return video;
    });
  }

  private async collect(result: VideoJobResult): Promise<VideoResult> {
    const path = await sharedVideo(this.options.cache.videosDir, result.video.path, result.video.sha256, result.worker);
    return { ...result.video, path };
  }
}
