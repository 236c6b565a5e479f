/** The files the pipeline writes. Another tool (the training exporters) reads them: change with care. */
import type { StageId } from "../store/types.js";
import type { SafetyProvenance } from "./critique.js";
import type { QueryItemInput } from "./query-item.js";
import type { SampleCheckpoint, SampleOutput, TextItemInput } from "./stages/sample.js";
import type { SftCheckpoint, SftOutput } from "./stages/sft.js";
import type { TextCheckpoint, TextFeedbackOutput, VideoItemInput } from "./stages/text-feedback.js";
import type { VideoFeedbackOutput } from "./stages/video-feedback.js";

export type StageName = "sft" | "sample" | "text-feedback" | "video-feedback" | "pairs";

/** The stages of both runs, each typed with what its items hold, so the store hands them back without casts. */
export const STAGES = {
  sft: "sft" as StageId<QueryItemInput, SftOutput, SftCheckpoint>,
  sample: "sample" as StageId<QueryItemInput, SampleOutput, SampleCheckpoint>,
  textFeedback: "text-feedback" as StageId<TextItemInput, TextFeedbackOutput, TextCheckpoint>,
  videoFeedback: "video-feedback" as StageId<VideoItemInput, VideoFeedbackOutput>,
  /** Derived: a query's pairs, recomputed from its finished items. */
  pairs: "pairs" as StageId<Record<string, never>, { pairs: PairDataRecord[] }>,
};
export const DPO_STAGE_ORDER: StageName[] = ["sample", "text-feedback", "video-feedback", "pairs"];

/** Where a record came from: enough to trace any training row to the models, templates and seeds behind it. */
export interface RecordProvenance {
  runId: string;
  stage: StageName;
  /** 0-based position of the query in the queries file (and its 1-based line, for text files). */
  queryIndex: number;
  line?: number;
  createdAt: string;
  /** The safety lexicon and policy (version hash) the judge's screen applied. */
  safety: SafetyProvenance;
  [key: string]: unknown;
}

/** One line of sft.jsonl as written (src/train reads it with a tolerant schema): `prompt` is the training target s (the teacher's p, or p_refined when the judge flagged p). */
export interface SftDataRecord {
  id?: string | number;
  query: string;
  prompt: string;
  /** The judge's critique of the teacher's prompt (empty when it found nothing to fix). */
  critique: string;
  /** The judge's category for the teacher's prompt: "aligned" keeps it; anything else was refined. */
  verdict: "aligned" | "unsafe" | "imprecise" | "refusal";
  refined: boolean;
  /** The teacher's prompt p, when it was replaced by its refinement. */
  teacherPrompt?: string;
  provenance: RecordProvenance;
}

/** One line of pairs.jsonl: a DPO preference pair for one query. */
export interface PairDataRecord {
  id?: string | number;
  query: string;
  chosen: string;
  rejected: string;
  source: "text" | "video";
  /** Video pairs: the reward scores of chosen and rejected. */
  scores?: { chosen: number; rejected: number };
  /** Video pairs with checklist rewards: the 64 answers of each. */
  answers?: { chosen: string[]; rejected: string[] };
  /** Text pairs: why the judge flagged the rejected prompt. */
  critique?: string;
  provenance: RecordProvenance;
}
