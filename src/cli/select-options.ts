import { Option, type Command } from "commander";
import { env } from "../config.js";
import { UsageError } from "../errors.js";
import { openModel } from "../model/open-model.js";
import type { TextModel } from "../model/types.js";
import { SELECT_METHODS, type SelectMethod, type SelectOptions, type SelectProgress } from "../select/types.js";
import type { Logger } from "../util/logger.js";
import { modelSpecFrom, parseInteger } from "./options.js";
import { addBackendOptions, openRewardFromFlags, openVideoFromFlags, type BackendFlags } from "./pipeline-backends.js";

export interface SelectFlags extends Omit<BackendFlags, "out"> {
  select?: SelectMethod;
  json?: boolean;
  quiet?: boolean;
  videoSeed: number;
  minCoverage?: number;
}

/** --select and what the selectors need: the video and reward backend flags of `vpo data dpo` (the judge's come with --judge-*). */
export function addSelectOptions(command: Command): Command {
  command
    .addOption(new Option("--select <method>", "with -n K: pick the best candidate by checks, judge (1–5 rubric), reward (render and score each) or tournament (pairwise knockout)").choices(SELECT_METHODS))
    .addOption(new Option("--video-seed <n>", "with --select reward: the seed every candidate's video is rendered with (a later `vpo data dpo --video-seed N` reuses them for its first query)").argParser(parseInteger(0)).default(0));
  return addBackendOptions(command);
}

/** The selector settings the flags give, and what to dispose after (the judge and a VLM reward model). */
export async function openSelection(flags: SelectFlags & Record<string, unknown>, logger: Logger): Promise<{ options: SelectOptions; dispose(): Promise<void> } | undefined> {
  if (!flags.select) return undefined;
  const opened: TextModel[] = [];
  const dispose = async () => void (await Promise.all(opened.map((m) => m.dispose())));
  try {
    // The video and reward caches default to the user's vpo home, so every `optimize --select reward` shares them.
    const backendFlags: BackendFlags = { ...flags, out: env.home() };
    const wantsVideos = flags.select === "reward" || (flags.select === "tournament" && (flags.videoCmd ?? flags.videoUrl) !== undefined);
    const video = wantsVideos ? openVideoFromFlags(backendFlags, logger) : undefined;
    const { reward, vlm } = wantsVideos ? await openRewardFromFlags(backendFlags, logger) : {};
    if (vlm) opened.push(vlm);
    if (flags.select === "reward" && (!video || !reward)) throw new UsageError("--select reward needs a video backend (--video-cmd or --video-url) and a reward backend (--reward-cmd, --reward-url or --vlm-base-url/--vlm-model)");
    const judgeSpec = modelSpecFrom(flags, "judge", { logger });
    const wantsJudge = flags.select === "judge" || (flags.select === "tournament" && !video);
    if (wantsJudge && !judgeSpec.baseUrl && !judgeSpec.model) throw new UsageError(`--select ${flags.select} needs a judge: --judge-base-url URL --judge-model NAME (or --judge-model FILE.gguf)`);
    const judge = wantsJudge ? await openModel(judgeSpec) : undefined;
    if (judge) opened.push(judge);
    const onProgress = flags.json || flags.quiet ? undefined : (p: SelectProgress) => logger.info(`select: ${p.done}/${p.total} ${p.unit === "matches" ? "matches played" : `candidates ${p.unit}`}`);
    return { options: { method: flags.select, judge, video, reward, videoSeed: flags.videoSeed, minCoverage: flags.minCoverage, onProgress }, dispose };
  } catch (error) {
    await dispose();
    throw error;
  }
}
