import type { Item } from "../../store/types.js";
import type { RewardBackend } from "../../reward/types.js";
import type { VideoBackend } from "../../video/types.js";
import { step, type ItemResult, type ItemWork } from "../item-runner.js";
import type { VideoItemInput } from "./text-feedback.js";

export interface VideoFeedbackOutput {
  k: number;
  prompt: string;
  video: { path: string; sha256: string; bytes: number; seed: number; cached: boolean; adopted?: boolean };
  reward: { score: number; answers?: ("yes" | "no")[]; cached: boolean; adopted?: boolean };
}

export type VideoItem = Item<VideoItemInput, VideoFeedbackOutput>;

/** The generation seed of a query's videos: the same for all its candidates, so their videos differ by prompt only. */
export const videoSeedFor = (baseSeed: number, queryIndex: number) => baseSeed + queryIndex;

/**
 * Stage `video-feedback`: one video per candidate that passed the text check, scored by the reward backend against
 * the ORIGINAL query. Both results are cached by content hash outside the store, so a crash between the two steps
 * (or a retry after a failed reward) never renders the video again.
 */
export async function videoFeedback(
  ctx: { video: VideoBackend; reward: RewardBackend; videoSeed: number; provenanceId: number },
  item: VideoItem,
  work: ItemWork<VideoFeedbackOutput, unknown>,
): Promise<ItemResult<VideoFeedbackOutput>> {
  const { query, prompt, k } = item.input;
  const seed = videoSeedFor(ctx.videoSeed, item.queryIndex);
  const video = await step("video", () => ctx.video.generate({ prompt, query, seed, signal: work.signal }), work.signal);
  const reward = await step("reward", () => ctx.reward.score({ videoPath: video.path, videoSha256: video.sha256, query, prompt, signal: work.signal }), work.signal);
  return {
    output: {
      k,
      prompt,
      video: { path: video.path, sha256: video.sha256, bytes: video.bytes, seed, cached: video.cached, ...(video.adopted ? { adopted: true } : {}) },
      reward: { score: reward.score, ...(reward.answers ? { answers: reward.answers } : {}), cached: reward.cached ?? false, ...(reward.adopted ? { adopted: true } : {}) },
    },
    provenanceId: ctx.provenanceId,
  };
}
