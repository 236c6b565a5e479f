import { AbortedError, errorRecord } from "../errors.js";
import type { ImageInput } from "../model/types.js";
import type { RewardBackend } from "../reward/types.js";
import type { VideoBackend } from "../video/types.js";
import type { RewardScores, SelectError } from "./types.js";

export type RewardOutcome = { ok: true; scores: RewardScores } | { ok: false; error: SelectError };

export interface VideoRewarder {
  /** The reward of one prompt's video, rendered at most once per distinct prompt (and once ever, by the caches). */
  rewardOf(prompt: string): Promise<RewardOutcome>;
}

/**
 * Renders a prompt with the video backend and scores the video with the reward backend against the ORIGINAL query,
 * exactly as the DPO pipeline's video-feedback stage does: the same backends with their content-hash caches, the
 * same request fields, one seed for every candidate. So a later `vpo data dpo` over the same cache reuses the videos,
 * and equal prompts among the candidates share one render.
 */
export function videoRewarder(query: string, options: { video: VideoBackend; reward: RewardBackend; seed: number; image?: ImageInput; signal?: AbortSignal }): VideoRewarder {
  const memo = new Map<string, Promise<RewardOutcome>>();
  const run = async (prompt: string): Promise<RewardOutcome> => {
    const { video, reward, seed, signal } = options;
    // Only the frame's bytes and type travel to the reward (not a caption or the source path).
    const image = options.image ? { data: options.image.data, mediaType: options.image.mediaType } : undefined;
    const failed = (step: SelectError["step"], error: unknown): RewardOutcome => {
      if (error instanceof AbortedError || signal?.aborted) throw new AbortedError();
      return { ok: false, error: { step, ...errorRecord(error) } };
    };
    let rendered;
    try {
      rendered = await video.generate({ prompt, query, seed, signal });
    } catch (error) {
      return failed("video", error);
    }
    try {
      const r = await reward.score({ videoPath: rendered.path, videoSha256: rendered.sha256, query, prompt, ...(image ? { image } : {}), signal });
      return {
        ok: true,
        scores: {
          score: r.score,
          ...(r.answers ? { answers: r.answers } : {}),
          video: { path: rendered.path, sha256: rendered.sha256, seed, cached: rendered.cached },
          cached: r.cached ?? false,
        },
      };
    } catch (error) {
      return failed("reward", error);
    }
  };
  return {
    rewardOf(prompt) {
      let pending = memo.get(prompt);
      if (!pending) memo.set(prompt, (pending = run(prompt)));
      return pending;
    },
  };
}
