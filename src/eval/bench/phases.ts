import { runBatch, type BatchProgress, type BatchSummary } from "../../batch/run-batch.js";
import { AbortedError, errorRecord } from "../../errors.js";
import type { Checklist } from "../../reward/checklist.js";
import type { RewardBackend } from "../../reward/types.js";
import type { VideoBackend } from "../../video/types.js";
import { rewardColumns } from "./columns.js";
import type { BenchRecord, PromptRecord, WorkItem } from "./records.js";

export interface PhaseControl {
  concurrency?: number;
  retryFailed?: boolean;
  onProgress?: (phase: string, progress: BatchProgress) => void;
  stop?: AbortSignal;
  signal?: AbortSignal;
}

/** A work list line as read back by the batch runner (written by prepareRunDir, so the fields are there). */
function workItem(record: Record<string, unknown> | undefined): WorkItem {
  const r = record ?? {};
  return {
    query: String(r.query),
    id: String(r.id),
    queryIndex: Number(r.queryIndex),
    system: String(r.system),
    ...(typeof r.source === "string" ? { source: r.source } : {}),
    categories: Array.isArray(r.categories) ? r.categories.map(String) : [],
    ...(typeof r.suiteId === "string" || typeof r.suiteId === "number" ? { suiteId: r.suiteId } : {}),
  };
}

/** Phase 1: one optimizer call per line of prompt-items.jsonl into prompts.jsonl (resumable). */
export function runPromptPhase(
  input: string,
  output: string,
  make: (item: WorkItem, signal: AbortSignal) => Promise<Omit<PromptRecord, "index" | "ms">>,
  control: PhaseControl,
): Promise<BatchSummary> {
  return runBatch<PromptRecord>({
    input,
    output,
    concurrency: control.concurrency,
    retryFailed: control.retryFailed,
    onProgress: (p) => control.onProgress?.("prompts", p),
    stop: control.stop,
    signal: control.signal,
    process: async (item, signal) => {
      const started = Date.now();
      const made = await make(workItem(item.record), signal);
      return { index: item.index, ...made, ms: Date.now() - started };
    },
  });
}

export interface VideoPhaseOptions extends PhaseControl {
  video: VideoBackend;
  /** Scores each video against the ORIGINAL query; without one, videos are only rendered (for --scorer-cmd). */
  reward?: RewardBackend;
  checklist: Checklist;
  /** Video seed base: query i renders every system's video with seed + i, so they differ by prompt only. */
  seed: number;
  /** The prompt (and provenance) a work item renders; null prompt: its optimizer failed. */
  promptFor: (item: WorkItem) => Pick<BenchRecord, "prompt" | "optimizer"> & { error?: BenchRecord["error"] };
}

/**
 * Phase 2: per query × system, render the system's prompt and score the video against the ORIGINAL query (the VBench
 * protocol: the enhanced prompt only samples the video). Both steps go through the backends' content-hash caches and
 * durable jobs, so a run killed mid-video collects that video on restart instead of rendering it again.
 */
export function runVideoPhase(input: string, output: string, options: VideoPhaseOptions): Promise<BatchSummary> {
  return runBatch<BenchRecord>({
    input,
    output,
    concurrency: options.concurrency ?? Math.max(2, 2 * (options.video.concurrency + (options.reward?.concurrency ?? 0))),
    retryFailed: options.retryFailed,
    onProgress: (p) => options.onProgress?.("videos", p),
    stop: options.stop,
    signal: options.signal,
    process: async (raw, signal) => {
      const item = workItem(raw.record);
      const started = Date.now();
      const { prompt, optimizer, error } = options.promptFor(item);
      const base = {
        index: raw.index,
        queryIndex: item.queryIndex,
        ...(item.suiteId !== undefined ? { id: item.suiteId } : {}),
        system: item.system,
        query: item.query,
        categories: item.categories ?? [],
        prompt,
        ...(optimizer ? { optimizer } : {}),
        columns: {},
      };
      const done = (rest: Omit<BenchRecord, keyof typeof base | "index" | "ms"> & { columns?: Record<string, number> }): BenchRecord => ({ ...base, ...rest, ms: Date.now() - started });
      if (prompt === null) return done({ status: "failed", outcome: "optimizer-failed", ...(error ? { error } : {}) });
      const seed = options.seed + item.queryIndex;
      let video;
      try {
        video = await options.video.generate({ prompt, query: item.query, seed, signal });
      } catch (e) {
        if (e instanceof AbortedError || signal.aborted) throw new AbortedError();
        return done({ status: "failed", outcome: "video-failed", error: errorRecord(e) });
      }
      const videoPart = { path: video.path, sha256: video.sha256, bytes: video.bytes, seed, key: video.key, cached: video.cached, ...(video.adopted ? { adopted: true } : {}) };
      if (!options.reward) return done({ status: "ok", outcome: "rendered", video: videoPart });
      try {
        // The original query in both fields: the scorer never sees the system's prompt.
        const reward = await options.reward.score({ videoPath: video.path, videoSha256: video.sha256, query: item.query, prompt: item.query, signal });
        return done({
          status: "ok",
          outcome: "scored",
          video: videoPart,
          reward: { score: reward.score, ...(reward.answers ? { answers: reward.answers } : {}), cached: reward.cached ?? false, ...(reward.adopted ? { adopted: true } : {}) },
          columns: rewardColumns(options.checklist, reward),
        });
      } catch (e) {
        if (e instanceof AbortedError || signal.aborted) throw new AbortedError();
        return done({ status: "failed", outcome: "reward-failed", video: videoPart, error: errorRecord(e) });
      }
    },
  });
}
