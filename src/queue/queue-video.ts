import type { RewardResult } from "../reward/types.js";
import { SingleFlight } from "../util/single-flight.js";
import type { VideoBackend, VideoBackendInfo, VideoRequest, VideoResult } from "../video/types.js";
import type { VideoCache } from "../video/video-cache.js";
import type { JobClient } from "./job-client.js";
import { renderScoreJobId, renderScoreQueueName, videoJobId, videoQueueName, type RenderScoreJobResult, type VideoJobResult } from "./job-kinds.js";
import { sharedVideo } from "./shared-file.js";

export interface QueueVideoOptions {
  client: JobClient;
  /** The workers' video backend, recorded as the run's provenance as a local run would record it. */
  info: VideoBackendInfo;
  cache: VideoCache;
  /** Jobs kept in flight on the queue. */
  concurrency: number;
  /** Render and score in one job (every video worker also scores): the reward waits in `scores` by its cache key. */
  combined?: { rewardBackend: string; rewardKey: (request: { videoSha256: string; query: string; prompt: string }) => string; scores: Map<string, RewardResult> };
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
    const { cache, client, combined } = this.options;
    const data = { prompt: request.prompt, query: request.query, seed: request.seed, backend: this.info.id };
    const key = cache.key(this.info.id, request);
    return this.flights.run(key, async () => {
      const cached = cache.lookup(key);
      if (cached) return cached;
      if (!combined) {
        const job = { queue: videoQueueName(this.info.id), id: videoJobId(key) };
        return this.collect(await client.run<VideoJobResult>(job.queue, job.id, data, request.signal));
      }
      const job = { queue: renderScoreQueueName(this.info.id, combined.rewardBackend), id: renderScoreJobId(key, combined.rewardBackend) };
      const payload = { ...data, rewardBackend: combined.rewardBackend };
      const result = await client.run<RenderScoreJobResult>(job.queue, job.id, payload, request.signal);
      const video = await this.collect(result);
      combined.scores.set(combined.rewardKey({ videoSha256: video.sha256, query: request.query, prompt: request.prompt }), result.reward);
      return video;
    });
  }

  private async collect(result: VideoJobResult): Promise<VideoResult> {
    const path = await sharedVideo(this.options.cache.videosDir, result.video.path, result.video.sha256, result.worker);
    return { ...result.video, path };
  }
}
