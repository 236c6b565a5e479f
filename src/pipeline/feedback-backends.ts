import { join } from "node:path";
import { UsageError } from "../errors.js";
import { openRewardBackend, type RewardBackendSettings } from "../reward/open-reward-backend.js";
import { RewardCache } from "../reward/reward-cache.js";
import type { RewardBackend } from "../reward/types.js";
import { openVideoBackend, type VideoBackendSettings } from "../video/open-video-backend.js";
import type { VideoBackend } from "../video/types.js";
import { VideoCache } from "../video/video-cache.js";

/** The video feedback of a DPO run: both backends and the cache they share, from one settings object. */
export interface FeedbackSettings {
  /** The run directory. */
  out: string;
  /** Video and reward cache, shareable between runs (default `<out>/cache`). */
  cacheDir?: string;
  video?: VideoBackendSettings;
  reward?: RewardBackendSettings;
}

export interface FeedbackBackends {
  video: VideoBackend;
  reward: RewardBackend;
  /** Frees what opening them loaded (a VLM reward's model). */
  dispose(): Promise<void>;
}

export const feedbackCacheDir = (settings: Pick<FeedbackSettings, "out" | "cacheDir">): string => settings.cacheDir ?? join(settings.out, "cache");

/** Opens the video and reward backends `runDpo` needs for video feedback; says which one is missing before loading anything. */
export async function openFeedbackBackends(settings: FeedbackSettings): Promise<FeedbackBackends> {
  const cacheDir = feedbackCacheDir(settings);
  const video = openVideoBackend(settings.video ?? {}, new VideoCache(cacheDir));
  if (!video) throw new UsageError("no video backend: give a video command or a video URL (or build text pairs only)");
  const { reward, vlm } = await openRewardBackend(settings.reward ?? {}, new RewardCache(cacheDir));
  if (!reward) throw new UsageError("no reward backend: give a reward command, a reward URL or a VLM (or build text pairs only)");
  return { video, reward, dispose: async () => vlm?.dispose() };
}
