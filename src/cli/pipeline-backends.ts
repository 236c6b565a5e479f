import { Option, type Command } from "commander";
import { join } from "node:path";
import { UsageError } from "../errors.js";
import { openModel } from "../model/open-model.js";
import type { TextModel } from "../model/types.js";
import { loadChecklist } from "../reward/checklist.js";
import { CommandRewardBackend } from "../reward/command-reward.js";
import { HttpRewardBackend } from "../reward/http-reward.js";
import { RewardCache } from "../reward/reward-cache.js";
import type { RewardBackend } from "../reward/types.js";
import { VlmRewardBackend } from "../reward/vlm-reward.js";
import type { Logger } from "../util/logger.js";
import { CommandVideoBackend } from "../video/command-video.js";
import { HttpVideoBackend } from "../video/http-video.js";
import type { VideoBackend } from "../video/types.js";
import { VideoCache } from "../video/video-cache.js";
import { addModelOptions, modelSpecFrom, parseInteger, parseNumber } from "./options.js";

export interface BackendFlags {
  out: string;
  cacheDir?: string;
  videoCmd?: string;
  videoUrl?: string;
  videoApiKey?: string;
  videoTimeout: number;
  videoConcurrency: number;
  videoExt: string;
  rewardCmd?: string;
  rewardUrl?: string;
  rewardApiKey?: string;
  rewardTimeout: number;
  rewardConcurrency: number;
  rewardNoInline?: boolean;
  checklist?: string;
  vlmQuestionsPerRequest?: number;
  vlmBaseUrl?: string;
  vlmModel?: string;
}

/** The video and reward backend flags of `vpo data dpo`. */
export function addBackendOptions(command: Command): Command {
  command
    .addOption(new Option("--video-cmd <cmd>", "command that renders {prompt} into the file {output} ({seed}, {query} also available; placeholders are shell-escaped)"))
    .addOption(new Option("--video-url <url>", "video service: POST {prompt, query, seed, id} → video bytes or {url|path|video_base64}"))
    .addOption(new Option("--video-api-key <key>", "bearer token for --video-url"))
    .addOption(new Option("--video-timeout <seconds>", "per video").argParser(parseNumber).default(900))
    .addOption(new Option("--video-concurrency <n>", "videos at once").argParser(parseInteger(1)).default(1))
    .addOption(new Option("--video-ext <ext>", "file extension of {output}").default("mp4"))
    .addOption(new Option("--reward-cmd <cmd>", 'command that scores {video} for {query} ({prompt} also available), printing {"answers": [64 × "yes"|"no"]} or {"score": x}'))
    .addOption(new Option("--reward-url <url>", "reward service: POST {query, prompt, questions, video} → the same JSON"))
    .addOption(new Option("--reward-api-key <key>", "bearer token for --reward-url"))
    .addOption(new Option("--reward-no-inline", "send --reward-url only the video's path, not its bytes (shared file system)"))
    .addOption(new Option("--reward-timeout <seconds>", "per video").argParser(parseNumber).default(600))
    .addOption(new Option("--reward-concurrency <n>", "videos scored at once").argParser(parseInteger(1)).default(1))
    .addOption(new Option("--checklist <file>", "checklist JSON (questions with weights; default: the shipped VisionReward 64)"))
    .addOption(new Option("--vlm-questions-per-request <n>", "VLM reward: checklist questions per request (1 = one at a time)").argParser(parseInteger(1)).default(64))
    .addOption(new Option("--cache-dir <dir>", "video and reward cache, shareable between runs (default OUT/cache)"));
  // --vlm-base-url/--vlm-model: any OpenAI-compatible vision model answers the checklist over ffmpeg frames.
  return addModelOptions(command, "vlm");
}

function exactlyOne(what: string, given: [string, unknown][]): string | undefined {
  const set = given.filter(([, v]) => v !== undefined);
  if (set.length > 1) throw new UsageError(`give one ${what}: ${set.map(([k]) => k).join(" or ")}`);
  return set[0]?.[0];
}

export async function openVideoBackend(flags: BackendFlags): Promise<VideoBackend | undefined> {
  const cache = new VideoCache(flags.cacheDir ?? join(flags.out, "cache"));
  const common = { cache, timeoutMs: flags.videoTimeout * 1000, concurrency: flags.videoConcurrency, extension: flags.videoExt };
  switch (exactlyOne("video backend", [["--video-cmd", flags.videoCmd], ["--video-url", flags.videoUrl]])) {
    case "--video-cmd":
      return new CommandVideoBackend({ command: flags.videoCmd!, ...common });
    case "--video-url":
      return new HttpVideoBackend({ url: flags.videoUrl!, apiKey: flags.videoApiKey, ...common });
    default:
      return undefined;
  }
}

/** The reward backend the flags name, and the VLM model it opened (to dispose), if any. */
export async function openRewardBackend(flags: BackendFlags, opts: object, logger: Logger): Promise<{ reward?: RewardBackend; vlm?: TextModel }> {
  const checklist = loadChecklist(flags.checklist);
  const cache = new RewardCache(flags.cacheDir ?? join(flags.out, "cache"));
  const vlmGiven = flags.vlmBaseUrl ?? flags.vlmModel;
  switch (exactlyOne("reward backend", [["--reward-cmd", flags.rewardCmd], ["--reward-url", flags.rewardUrl], ["--vlm-base-url/--vlm-model", vlmGiven]])) {
    case "--reward-cmd":
      return { reward: new CommandRewardBackend({ command: flags.rewardCmd!, checklist, cache, timeoutMs: flags.rewardTimeout * 1000, concurrency: flags.rewardConcurrency }) };
    case "--reward-url":
      return {
        reward: new HttpRewardBackend({ url: flags.rewardUrl!, apiKey: flags.rewardApiKey, checklist, cache, inlineVideo: !flags.rewardNoInline, timeoutMs: flags.rewardTimeout * 1000, concurrency: flags.rewardConcurrency }),
      };
    case "--vlm-base-url/--vlm-model": {
      const vlm = await openModel(modelSpecFrom(opts, "vlm", { concurrency: flags.rewardConcurrency, logger }));
      return { reward: new VlmRewardBackend({ model: vlm, checklist, cache, questionsPerRequest: flags.vlmQuestionsPerRequest, concurrency: flags.rewardConcurrency }), vlm };
    }
    default:
      return {};
  }
}
