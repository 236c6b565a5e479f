import type { RewardResult } from "../reward/types.js";
import { contentHash, contentVersion } from "../util/stable-json.js";
import type { VideoResult } from "../video/types.js";

export interface VideoJobData {
  prompt: string;
  query: string;
  seed: number;
  /** The video backend id the coordinator's run records as provenance: a worker running another one refuses the job. */
  backend: string;
}

export interface RewardJobData {
  videoPath: string;
  /** The video's path inside the shared cache folder, which each host may mount elsewhere. */
  videoFile?: string;
  videoSha256: string;
  query: string;
  prompt: string;
  /** The reward backend id the run records: a worker running another one refuses the job. */
  backend: string;
}

/** Render and score on one worker, without moving the file: needs a worker with both backends. */
export interface RenderScoreJobData extends VideoJobData {
  rewardBackend: string;
}

export interface VideoJobResult {
  video: VideoResult;
  worker: string;
}

export interface RewardJobResult {
  reward: RewardResult;
  worker: string;
}

export interface RenderScoreJobResult extends VideoJobResult {
  reward: RewardResult;
}

/*
 * Job ids are the cache keys of the requests (VideoCache.key, RewardCache.key): a coordinator restarted after kill -9
 * adds the same ids again, which BullMQ ignores, and so re-attaches to the jobs queued or running instead of
 * rendering again.
 */
export const videoJobId = (videoKey: string) => `video-${videoKey}`;
export const rewardJobId = (rewardKey: string) => `reward-${rewardKey}`;
export const renderScoreJobId = (videoKey: string, rewardBackend: string) => `render-score-${contentHash({ video: videoKey, reward: rewardBackend })}`;

/**
 * Queue names carry a hash of the backend ids, so a worker only ever sees jobs for the generator or scorer it runs,
 * and the coordinator sends each job to the workers whose backend its run records as provenance.
 */
export const videoQueueName = (videoBackend: string) => `video-${contentVersion(videoBackend)}`;
export const rewardQueueName = (rewardBackend: string) => `reward-${contentVersion(rewardBackend)}`;
export const renderScoreQueueName = (videoBackend: string, rewardBackend: string) => `render-score-${contentVersion({ videoBackend, rewardBackend })}`;
