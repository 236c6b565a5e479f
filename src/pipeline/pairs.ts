import { selectVideoPair, type ScoredCandidate, type VideoPairPolicy } from "../reward/select-video-pairs.js";
import type { Item } from "../store/types.js";
import type { SafetyProvenance } from "./critique.js";
import type { PairDataRecord, RecordProvenance } from "./records.js";
import type { Candidate, QueryInput, SampleOutput, TextItemInput } from "./stages/sample.js";
import type { TextFeedbackOutput, VideoItemInput } from "./stages/text-feedback.js";
import type { VideoFeedbackOutput } from "./stages/video-feedback.js";

/**
 * query (default, the official recipe): one pair per query, a text pair when there is one, else the video pair.
 * source: at most one text pair and one video pair per query. none: every text pair plus the video pair.
 */
export const PAIR_DEDUPS = ["query", "source", "none"] as const;
export type PairDedup = (typeof PAIR_DEDUPS)[number];

export interface PairOptions {
  policy: VideoPairPolicy;
  minGap: number;
  dedup: PairDedup;
}

export const DEFAULT_PAIR_OPTIONS: PairOptions = { policy: "first", minGap: 0.5, dedup: "query" };

export interface QueryItems {
  runId: string;
  safety: SafetyProvenance;
  sample: Item<QueryInput, SampleOutput, unknown>;
  texts: Item<TextItemInput, TextFeedbackOutput, unknown>[];
  videos: Item<VideoItemInput, VideoFeedbackOutput, unknown>[];
  provenance: (id: number | undefined) => Record<string, unknown>;
}

/**
 * The DPO pairs of one query from its finished items: text pairs (refinement ≻ flagged candidate, candidate order)
 * first, then at most one video pair chosen by the VisionReward rule, deduplicated as `options.dedup` says.
 */
export function pairsForQuery(q: QueryItems, options: PairOptions = DEFAULT_PAIR_OPTIONS): PairDataRecord[] {
  const { sample } = q;
  const candidates = new Map<number, Candidate>((sample.output?.candidates ?? []).map((c) => [c.k, c]));
  const base = (createdAt: string): RecordProvenance => ({
    runId: q.runId,
    stage: "pairs",
    queryIndex: sample.queryIndex,
    ...(sample.input.line !== undefined ? { line: sample.input.line } : {}),
    createdAt,
    safety: q.safety,
    sample: q.provenance(sample.provenanceId),
  });
  const id = sample.input.id !== undefined ? { id: sample.input.id } : {};
  const textPairs: PairDataRecord[] = q.texts
    .filter((t) => t.status === "done" && t.output?.refined !== undefined)
    .sort((a, b) => a.input.k - b.input.k)
    .map((t) => ({
      ...id,
      query: sample.input.query,
      chosen: t.output!.refined!,
      rejected: t.output!.prompt,
      source: "text" as const,
      critique: t.output!.critique,
      provenance: { ...base(t.updatedAt), candidate: t.input.k, seed: candidates.get(t.input.k)?.seed, judgement: t.output!.judgement, judge: q.provenance(t.provenanceId) },
    }));
  const scored: (ScoredCandidate & { item: Item<VideoItemInput, VideoFeedbackOutput> })[] = q.videos
    .filter((v) => v.status === "done" && v.output)
    .sort((a, b) => a.input.k - b.input.k)
    .map((v) => ({ index: v.input.k, prompt: v.output!.prompt, score: v.output!.reward.score, ...(v.output!.reward.answers ? { answers: v.output!.reward.answers } : {}), item: v }));
  const picked = selectVideoPair(scored, { policy: options.policy, minGap: options.minGap });
  const videoPairs: PairDataRecord[] = [];
  if (picked) {
    const chosen = scored.find((s) => s === picked.chosen)!.item;
    const rejected = scored.find((s) => s === picked.rejected)!.item;
    const side = (v: Item<VideoItemInput, VideoFeedbackOutput>) => ({ candidate: v.input.k, seed: candidates.get(v.input.k)?.seed, video: { path: v.output!.video.path, sha256: v.output!.video.sha256, seed: v.output!.video.seed } });
    videoPairs.push({
      ...id,
      query: sample.input.query,
      chosen: chosen.output!.prompt,
      rejected: rejected.output!.prompt,
      source: "video",
      scores: { chosen: chosen.output!.reward.score, rejected: rejected.output!.reward.score },
      ...(chosen.output!.reward.answers && rejected.output!.reward.answers ? { answers: { chosen: chosen.output!.reward.answers, rejected: rejected.output!.reward.answers } } : {}),
      provenance: {
        ...base(chosen.updatedAt > rejected.updatedAt ? chosen.updatedAt : rejected.updatedAt),
        rule: { policy: options.policy, minGap: options.minGap, gap: picked.gap },
        chosen: side(chosen),
        rejected: side(rejected),
        videoFeedback: q.provenance(chosen.provenanceId),
      },
    });
  }
  if (options.dedup === "none") return [...textPairs, ...videoPairs];
  if (options.dedup === "source") return [...textPairs.slice(0, 1), ...videoPairs];
  return textPairs.length ? textPairs.slice(0, 1) : videoPairs;
}
