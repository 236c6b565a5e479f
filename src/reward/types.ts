import type { ImageInput } from "../model/types.js";

export type Answer = "yes" | "no";

export interface RewardRequest {
  /** The video file to score. */
  videoPath: string;
  /** sha256 of the video's bytes (the cache key of its score). */
  videoSha256: string;
  /** The ORIGINAL user query: checklist questions 1–4 ask whether the video meets it. */
  query: string;
  /** The optimized prompt the video was generated from (some reward models want it). */
  prompt: string;
  /**
   * Image-to-video: the first frame the video was asked to start from. A VLM reward shows it with the video's frames
   * (and keys its cache by it); command and HTTP rewards ignore it.
   */
  image?: ImageInput;
  signal?: AbortSignal;
}

/** A reward: checklist answers (score = weighted sum of "yes"), or a bare scalar score. */
export interface RewardResult {
  answers?: Answer[];
  score: number;
  /** True when it came from the cache, without asking the backend. */
  cached?: boolean;
  /** True when a scoring started by a killed earlier run was waited for and collected. */
  adopted?: boolean;
}

export interface RewardBackendInfo {
  kind: "command" | "http" | "vlm";
  /** What identifies the scorer in caches and provenance (command template, URL, or model id + checklist version). */
  id: string;
}

/** Scores one video. Implementations bound their own concurrency and cache by content hash. */
export interface RewardBackend {
  readonly info: RewardBackendInfo;
  readonly concurrency: number;
  score(request: RewardRequest): Promise<RewardResult>;
}
