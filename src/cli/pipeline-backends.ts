import { Option, type Command } from "commander";
import { UsageError } from "../errors.js";
import { feedbackCacheDir, type FeedbackSettings } from "../pipeline/feedback-backends.js";
import { openQueueFeedback, type QueueFeedback } from "../queue/open-queue-feedback.js";
import { openRewardBackend, type OpenedReward } from "../reward/open-reward-backend.js";
import { RewardCache } from "../reward/reward-cache.js";
import { openVideoBackend } from "../video/open-video-backend.js";
import type { VideoBackend } from "../video/types.js";
import { VideoCache } from "../video/video-cache.js";
import type { Logger } from "../util/logger.js";
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

/** The flags as the library's feedback settings (the VLM reward's model flags are --vlm-*). */
export function feedbackSettingsFrom(flags: BackendFlags, logger: Logger): FeedbackSettings {
  return {
    out: flags.out,
    cacheDir: flags.cacheDir,
    video: { command: flags.videoCmd, url: flags.videoUrl, apiKey: flags.videoApiKey, timeoutMs: flags.videoTimeout * 1000, concurrency: flags.videoConcurrency, extension: flags.videoExt },
    reward: {
      command: flags.rewardCmd,
      url: flags.rewardUrl,
      apiKey: flags.rewardApiKey,
      inlineVideo: !flags.rewardNoInline,
      vlm: modelSpecFrom(flags, "vlm", { concurrency: flags.rewardConcurrency, logger }),
      questionsPerRequest: flags.vlmQuestionsPerRequest,
      checklist: flags.checklist,
      timeoutMs: flags.rewardTimeout * 1000,
      concurrency: flags.rewardConcurrency,
    },
  };
}

/** The video backend the flags name (undefined when none), over the run's shared cache. */
export function openVideoFromFlags(flags: BackendFlags, logger: Logger): VideoBackend | undefined {
  const settings = feedbackSettingsFrom(flags, logger);
  return openVideoBackend(settings.video ?? {}, new VideoCache(feedbackCacheDir(settings)));
}

/** The reward backend the flags name (reward undefined when none), over the run's shared cache. */
export function openRewardFromFlags(flags: BackendFlags, logger: Logger): Promise<OpenedReward> {
  const settings = feedbackSettingsFrom(flags, logger);
  return openRewardBackend(settings.reward ?? {}, new RewardCache(feedbackCacheDir(settings)));
}

export interface QueueFlags {
  queue?: string;
  queueAttempts: number;
  queueBackoff: number;
  queueJobs: number;
}

/** `--queue redis://…`: video and reward work goes to `vpo worker`s instead of running here. */
export function addQueueOptions(command: Command): Command {
  return command
    .addOption(new Option("--queue <url>", "send video and reward work to `vpo worker`s through BullMQ on this Redis (redis://HOST:PORT); the workers name the backends, --cache-dir must be shared with them"))
    .addOption(new Option("--queue-attempts <n>", "tries per queued job before its item fails with the reason").argParser(parseInteger(1)).default(3))
    .addOption(new Option("--queue-backoff <seconds>", "delay before a job's first retry, doubling after each").argParser(parseNumber).default(5))
    .addOption(new Option("--queue-jobs <n>", "jobs kept in flight on the queue per kind (at least the workers' slots)").argParser(parseInteger(1)).default(64));
}

/** The queue's backends when --queue is given (undefined otherwise); local backend flags alongside it are refused. */
export async function openQueueFromFlags(flags: BackendFlags & QueueFlags, logger: Logger, need?: { video?: boolean; reward?: boolean }): Promise<QueueFeedback | undefined> {
  if (flags.queue === undefined) return undefined;
  const local = [flags.videoCmd && "--video-cmd", flags.videoUrl && "--video-url", flags.rewardCmd && "--reward-cmd", flags.rewardUrl && "--reward-url", (flags.vlmBaseUrl || flags.vlmModel) && "--vlm-*"].filter(Boolean);
  if (local.length) throw new UsageError(`--queue sends the work to workers, which name the backends: give ${local.join(", ")} to \`vpo worker\`, not here`);
  return openQueueFeedback({ queue: flags.queue, cacheDir: feedbackCacheDir(flags), attempts: flags.queueAttempts, backoffMs: flags.queueBackoff * 1000, jobs: flags.queueJobs, need, logger });
}
