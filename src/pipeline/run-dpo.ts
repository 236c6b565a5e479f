import { UsageError } from "../errors.js";
import { endpointReport, type EndpointReport } from "../model/pool/endpoint-report.js";
import type { TextModel } from "../model/types.js";
import { PRESETS } from "../optimize/sampling.js";
import { vpoTemplate, type PromptTemplate } from "../optimize/template.js";
import type { RewardBackend } from "../reward/types.js";
import { isItemOf } from "../store/types.js";
import type { VideoBackend } from "../video/types.js";
import { CRITIC_TEMPLATES, safetyProvenance, type Critic } from "./critique.js";
import { DEFAULT_PAIR_OPTIONS, pairsForQuery, type PairOptions } from "./pairs.js";
import { runPipeline } from "./pipeline-run.js";
import type { PipelineProgress } from "./progress.js";
import type { RunControl } from "./run-control.js";
import { STAGES } from "./records.js";
import { holdsQuery, queryItemFor, unreadableQuery } from "./query-item.js";
import { sampleQuery, type SampleSettings } from "./stages/sample.js";
import { textFeedback } from "./stages/text-feedback.js";
import { videoFeedback } from "./stages/video-feedback.js";
import { withTargetGuide } from "../target/guide.js";
import { targetInfo, type TargetSettings } from "../target/target-settings.js";
import { CONDENSE_TEMPLATE } from "../target/condense.js";

export interface DpoRunOptions extends RunControl {
  /** Query file (.txt, .json, .jsonl). */
  queries: string;
  /** Output directory: run.sqlite, pairs.jsonl (and cache/ unless the backends use another cache folder). */
  out: string;
  /** The SFT model that samples candidates. */
  policy: TextModel;
  critic: Critic;
  video?: VideoBackend;
  reward?: RewardBackend;
  /** Build text pairs only (no video backend): the "VPO w/o video feedback" ablation. */
  textOnly?: boolean;
  /** Default: the VPO model contract. */
  template?: PromptTemplate;
  /**
   * The video model the data is for (--target): the policy prompt gets the target's guide as a system turn (the
   * model trained on this data is the target's own, so it may learn a contract that names the target), and the
   * target goes into every record's provenance.
   */
  target?: TargetSettings;
  sample?: Partial<SampleSettings>;
  /** Base seed of video generation; query i renders all its candidates with seed + i (default 0). */
  videoSeed?: number;
  pairs?: Partial<PairOptions>;
}

export interface DpoRunSummary {
  runId: string;
  pairsFile: string;
  pairs: { text: number; video: number };
  progress: PipelineProgress;
  stopped: boolean;
  /** Items a killed earlier run had in flight, put back to pending. */
  recovered: number;
  /** Failed items put back to pending by --retry-failed. */
  retried: number;
  /** Requests, failures and ejections per endpoint of the models that are endpoint pools. */
  endpoints?: EndpointReport;
}

export const DEFAULT_VIDEO_SEED = 0;
export const DEFAULT_SAMPLE_SETTINGS: SampleSettings = { k: 4, ...PRESETS.sample, maxTokens: 512, seed: 0, useN: "auto" };

/**
 * `vpo data dpo`: sample K candidates per query → judge each (flagged → refined → text pair) → one video per passing
 * candidate → reward → video pair by the VisionReward rule → pairs.jsonl. Every query flows through all stages on
 * its own, so all backends work at once; each step is committed to the run store, so a killed run resumes where it
 * stopped and never repeats finished work.
 */
export async function runDpo(options: DpoRunOptions): Promise<DpoRunSummary> {
  if (!options.textOnly && (!options.video || !options.reward)) throw new UsageError("video feedback needs a video backend and a reward backend (or build text pairs only with --text-only)");
  const base = options.template ?? vpoTemplate;
  const template = options.target ? withTargetGuide(base, options.target.profile, options.target.budget) : base;
  const settings: SampleSettings = { ...DEFAULT_SAMPLE_SETTINGS, ...options.sample };
  const pairOptions: PairOptions = { ...DEFAULT_PAIR_OPTIONS, ...options.pairs };
  const videoSeed = options.videoSeed ?? DEFAULT_VIDEO_SEED;
  const video = options.textOnly ? undefined : options.video;
  const reward = options.textOnly ? undefined : options.reward;
  const { useN: _useN, ...sampling } = settings;
  const sampleProvenance = { policy: options.policy.info, template: { name: template.name, version: template.version }, sampling, ...(options.target ? { target: targetInfo(options.target) } : {}) };
  const safety = safetyProvenance(options.critic);
  const textProvenance = {
    judge: options.critic.judge.info,
    refiner: (options.critic.refiner ?? options.critic.judge).info,
    ...CRITIC_TEMPLATES,
    safety,
    ...(options.target ? { target: targetInfo(options.target), condense: CONDENSE_TEMPLATE } : {}),
  };
  const videoProvenance = video && reward ? { video: video.info, reward: reward.info, videoSeed } : undefined;
  const counts = { text: 0, video: 0 };
  const concurrencies = [options.policy.concurrency, options.critic.judge.concurrency, video?.concurrency ?? 0, reward?.concurrency ?? 0];
  const summary = await runPipeline(
    options,
    {
      pipeline: "dpo",
      identity: { ...sampleProvenance, ...textProvenance, video: videoProvenance ?? null },
      config: { pairs: pairOptions },
      stages: video ? [STAGES.sample, STAGES.textFeedback, STAGES.videoFeedback] : [STAGES.sample, STAGES.textFeedback],
      retryStages: [STAGES.sample, STAGES.textFeedback, STAGES.videoFeedback],
      derivedStages: [STAGES.pairs],
      concurrency: concurrencies.reduce((a, b) => a + b, 0),
      output: {
        file: "pairs.jsonl",
        *records(store) {
          for (const item of store.iterateDone(STAGES.pairs)) {
            for (const pair of item.output!.pairs) {
              counts[pair.source]++;
              yield pair;
            }
          }
        },
      },
    },
    (run) => {
      const { store } = run;
      const pids = {
        sample: store.provenanceId(sampleProvenance),
        text: store.provenanceId(textProvenance),
        video: videoProvenance ? store.provenanceId(videoProvenance) : 0,
      };
      const sampleContext = { policy: options.policy, template, settings, provenanceId: pids.sample, nState: {} };
      return async (q) => {
        const sample = queryItemFor(store, STAGES.sample, q, options.queries);
        await run.runStage(sample, (item, work) => (holdsQuery(item) ? sampleQuery(sampleContext, item, work) : Promise.reject(unreadableQuery(item.input))));
        if (sample.status !== "done" || !holdsQuery(sample)) return;
        await Promise.all(
          store.ofQuery(q.index, STAGES.textFeedback).map(async (text) => {
            await run.runStage(text, (item, work) => textFeedback({ critic: options.critic, provenanceId: pids.text, video: Boolean(video), ...(options.target ? { target: options.target } : {}) }, item, work));
            if (!video || !reward || text.status !== "done") return;
            const next = store.get(STAGES.videoFeedback, text.key);
            if (next) await run.runStage(next, (item, work) => videoFeedback({ video, reward, videoSeed, provenanceId: pids.video }, item, work));
          }),
        );
        const items = store.ofQuery(q.index);
        if (items.some((i) => i.status === "pending" || i.status === "running")) return;
        const pairs = pairsForQuery(
          {
            runId: store.run.id,
            safety,
            sample,
            texts: items.filter(isItemOf(STAGES.textFeedback)),
            videos: items.filter(isItemOf(STAGES.videoFeedback)),
            provenance: (id) => (id ? store.provenance(id) : {}),
          },
          pairOptions,
        );
        store.record({ stage: STAGES.pairs, key: String(q.index), queryIndex: q.index, input: {} }, { pairs });
        run.queryFinished();
      };
    },
  );
  const { runId, file: pairsFile, progress, stopped, recovered, retried } = summary;
  const endpoints = endpointReport({ policy: options.policy, judge: options.critic.judge, refiner: options.critic.refiner });
  return { runId, pairsFile, pairs: counts, progress, stopped, recovered, retried, ...(endpoints ? { endpoints } : {}) };
}
