import { join } from "node:path";
import { countQueries } from "../batch/read-queries.js";
import { UsageError } from "../errors.js";
import type { TextModel } from "../model/types.js";
import { PRESETS } from "../optimize/sampling.js";
import { vpoTemplate, type PromptTemplate } from "../optimize/template.js";
import type { RewardBackend } from "../reward/types.js";
import { RunStore } from "../store/run-store.js";
import type { Item } from "../store/types.js";
import { silentLogger } from "../util/logger.js";
import type { VideoBackend } from "../video/types.js";
import { CRITIC_TEMPLATES, type Critic } from "./critique.js";
import { forEachQuery } from "./for-each-query.js";
import { runItem } from "./item-runner.js";
import { DEFAULT_PAIR_OPTIONS, pairsForQuery, type PairOptions } from "./pairs.js";
import { ProgressTracker, type PipelineProgress } from "./progress.js";
import type { RunControl } from "./run-control.js";
import { DPO_STAGE_ORDER, STAGES, type PairDataRecord } from "./records.js";
import { queryItemFor, unreadableQuery } from "./query-item.js";
import { sampleQuery, type SampleItem, type SampleSettings } from "./stages/sample.js";
import { textFeedback, type TextItem } from "./stages/text-feedback.js";
import { videoFeedback, type VideoItem } from "./stages/video-feedback.js";
import { writeJsonlAtomic } from "./write-jsonl.js";

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
}

export const DEFAULT_SAMPLE_SETTINGS: SampleSettings = { k: 4, ...PRESETS.sample, maxTokens: 512, seed: 0, useN: "auto" };

/**
 * `vpo data dpo`: sample K candidates per query → judge each (flagged → refined → text pair) → one video per passing
 * candidate → reward → video pair by the VisionReward rule → pairs.jsonl. Every query flows through all stages on
 * its own, so all backends work at once; each step is committed to the run store, so a killed run resumes where it
 * stopped and never repeats finished work.
 */
export async function runDpo(options: DpoRunOptions): Promise<DpoRunSummary> {
  const logger = options.logger ?? silentLogger;
  if (!options.textOnly && (!options.video || !options.reward)) throw new UsageError("video feedback needs a video backend and a reward backend (or build text pairs only with --text-only)");
  const template = options.template ?? vpoTemplate;
  const settings: SampleSettings = { ...DEFAULT_SAMPLE_SETTINGS, ...options.sample };
  const pairOptions: PairOptions = { ...DEFAULT_PAIR_OPTIONS, ...options.pairs };
  const videoSeed = options.videoSeed ?? 0;
  const video = options.textOnly ? undefined : options.video;
  const reward = options.textOnly ? undefined : options.reward;
  const { useN: _useN, ...sampling } = settings;
  const sampleProvenance = { policy: options.policy.info, template: { name: template.name, version: template.version }, sampling };
  const textProvenance = { judge: options.critic.judge.info, refiner: (options.critic.refiner ?? options.critic.judge).info, ...CRITIC_TEMPLATES };
  const videoProvenance = video && reward ? { video: video.info, reward: reward.info, videoSeed } : undefined;
  const store = RunStore.open(options.out, {
    pipeline: "dpo",
    identity: { ...sampleProvenance, ...textProvenance, video: videoProvenance ?? null },
    config: { queries: options.queries, pairs: pairOptions, ...options.config },
    allowChanges: options.allowChanges,
    argv: options.argv,
  });
  let outcome: "completed" | "stopped" | "failed" = "failed";
  try {
    if (store.session.recovered) logger.info(`resuming: ${store.session.recovered} item(s) a stopped run had in flight are pending again`);
    const retried = options.retryFailed ? store.retryFailed([STAGES.sample, STAGES.textFeedback, STAGES.videoFeedback]) : 0;
    if (retried) logger.info(`retrying ${retried} failed item(s)`);
    const signal = options.signal ?? new AbortController().signal;
    const signals = { stop: options.stop, signal };
    const pids = {
      sample: store.provenanceId(sampleProvenance),
      text: store.provenanceId(textProvenance),
      video: videoProvenance ? store.provenanceId(videoProvenance) : 0,
    };
    const nState: { supported?: boolean } = {};
    const tracker = new ProgressTracker(DPO_STAGE_ORDER.filter((s) => s !== "pairs" && (video || s !== "video-feedback")), await countQueries(options.queries), options.onProgress);
    const track = async (stage: string, item: Item, run: () => Promise<"done" | "failed" | "aborted" | "skipped">) => {
      tracker.seen(stage, item.status);
      if (item.status !== "pending") return;
      tracker.begin(stage);
      tracker.finished(stage, await run());
    };
    for (const stage of tracker.snapshot().stages) store.markStage(stage.stage, "started");
    const concurrencies = [options.policy.concurrency, options.critic.judge.concurrency, video?.concurrency ?? 0, reward?.concurrency ?? 0];
    const maxActive = options.maxActiveQueries ?? Math.max(8, 2 * concurrencies.reduce((a, b) => a + b, 0));
    const { stopped } = await forEachQuery(options.queries, { maxActive, stop: options.stop, signal }, async (q) => {
      const first = queryItemFor(store, STAGES.sample, q, options.queries);
      const unreadable = unreadableQuery(first.input);
      // Past this check the item holds a query (an unreadable line fails here with its reason).
      const sample = first as unknown as SampleItem;
      await track(STAGES.sample, sample, () =>
        runItem(store, sample, signals, (item, work) => (unreadable ? Promise.reject(unreadable) : sampleQuery({ policy: options.policy, template, settings, provenanceId: pids.sample, nState }, item, work))),
      );
      if (sample.status !== "done") return;
      const texts = store.ofQuery(q.index, STAGES.textFeedback) as TextItem[];
      await Promise.all(
        texts.map(async (text) => {
          await track(STAGES.textFeedback, text, () => runItem(store, text, signals, (item, work) => textFeedback({ critic: options.critic, provenanceId: pids.text, video: Boolean(video) }, item, work)));
          if (!video || !reward || text.status !== "done") return;
          const next = store.get(STAGES.videoFeedback, text.key) as VideoItem | undefined;
          if (next) await track(STAGES.videoFeedback, next, () => runItem(store, next, signals, (item, work) => videoFeedback({ video, reward, videoSeed, provenanceId: pids.video }, item, work)));
        }),
      );
      const items = store.ofQuery(q.index);
      if (items.some((i) => i.status === "pending" || i.status === "running")) return;
      const pairs = pairsForQuery(
        {
          runId: store.run.id,
          sample,
          texts: items.filter((i) => i.stage === STAGES.textFeedback) as TextItem[],
          videos: items.filter((i) => i.stage === STAGES.videoFeedback) as VideoItem[],
          provenance: (id) => (id ? store.provenance(id) : {}),
        },
        pairOptions,
      );
      store.record({ stage: STAGES.pairs, key: String(q.index), queryIndex: q.index, input: {} }, { pairs });
      tracker.queryFinished();
    });
    tracker.emit(true);
    const counts = { text: 0, video: 0 };
    const pairsFile = join(options.out, "pairs.jsonl");
    await writeJsonlAtomic(
      pairsFile,
      (function* () {
        for (const item of store.iterateDone<unknown, { pairs: PairDataRecord[] }, unknown>(STAGES.pairs)) {
          for (const pair of item.output!.pairs) {
            counts[pair.source]++;
            yield pair;
          }
        }
      })(),
    );
    if (!stopped) for (const stage of [...tracker.snapshot().stages.map((s) => s.stage), STAGES.pairs]) store.markStage(stage, "finished");
    outcome = stopped ? "stopped" : "completed";
    return { runId: store.run.id, pairsFile, pairs: counts, progress: tracker.snapshot(), stopped, recovered: store.session.recovered, retried };
  } finally {
    store.close(outcome);
  }
}
