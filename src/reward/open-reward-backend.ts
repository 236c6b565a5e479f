import { UsageError } from "../errors.js";
import { openModel, type ModelSpec } from "../model/open-model.js";
import type { TextModel } from "../model/types.js";
import { loadChecklist } from "./checklist.js";
import { CommandRewardBackend } from "./command-reward.js";
import { HttpRewardBackend } from "./http-reward.js";
import type { RewardCache } from "./reward-cache.js";
import type { RewardBackend } from "./types.js";
import { VlmRewardBackend } from "./vlm-reward.js";

/** Which reward backend scores the videos, and how: one of `command`, `url` or `vlm`. */
export interface RewardBackendSettings {
  /** A command that scores {video} for {query}, printing {"answers": [64 × "yes"|"no"]} or {"score": x}. */
  command?: string;
  /** A reward service: POST {query, prompt, questions, video} → the same JSON. */
  url?: string;
  /** Bearer token for `url`. */
  apiKey?: string;
  /** Send `url` the video's bytes (default) or only its path (a shared file system). */
  inlineVideo?: boolean;
  /** A vision-language model (base URL and model) that answers the checklist over frames of the video. */
  vlm?: ModelSpec;
  /** VLM: checklist questions per request (default: all; 1 asks each alone). */
  questionsPerRequest?: number;
  /** Checklist JSON (questions with weights; default: the shipped VisionReward 64). */
  checklist?: string;
  /** Per video (default 600 s). */
  timeoutMs?: number;
  /** Videos scored at once (default 1). */
  concurrency?: number;
}

export interface OpenedReward {
  reward?: RewardBackend;
  /** The VLM model a checklist reward opened: the caller disposes it. */
  vlm?: TextModel;
}

/** The backend the settings name (none when they name none), caching scores in `cache`. */
export async function openRewardBackend(settings: RewardBackendSettings, cache: RewardCache): Promise<OpenedReward> {
  const vlmGiven = settings.vlm !== undefined && (settings.vlm.baseUrl !== undefined || settings.vlm.model !== undefined);
  const given = [settings.command !== undefined && "a reward command", settings.url !== undefined && "a reward URL", vlmGiven && "a VLM"].filter(Boolean);
  if (given.length > 1) throw new UsageError(`give one reward backend: ${given.join(" or ")}, not several`);
  if (!given.length) return {};
  const checklist = loadChecklist(settings.checklist);
  const { timeoutMs, concurrency } = settings;
  if (settings.command !== undefined) return { reward: new CommandRewardBackend({ command: settings.command, checklist, cache, timeoutMs, concurrency }) };
  if (settings.url !== undefined) {
    return { reward: new HttpRewardBackend({ url: settings.url, apiKey: settings.apiKey, checklist, cache, inlineVideo: settings.inlineVideo ?? true, timeoutMs, concurrency }) };
  }
  const vlm = await openModel({ ...settings.vlm, concurrency: settings.vlm?.concurrency ?? concurrency });
  return { reward: new VlmRewardBackend({ model: vlm, checklist, cache, questionsPerRequest: settings.questionsPerRequest, concurrency }), vlm };
}
