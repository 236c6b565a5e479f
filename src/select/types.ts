import type { VpoErrorCode } from "../errors.js";
import type { ImageInput, ModelInfo, Sampling, TextModel, Usage } from "../model/types.js";
import type { RewardBackend } from "../reward/types.js";
import type { SafetyScreen } from "../safety/screen-safety.js";
import type { VideoBackend } from "../video/types.js";

export const SELECT_METHODS = ["checks", "judge", "reward", "tournament"] as const;
export type SelectMethod = (typeof SELECT_METHODS)[number];

/** What the deterministic checks found about one candidate (always computed: they order ties and gate safety). */
export interface CheckScores {
  /** The safety screen found nothing unsafe. */
  safe: boolean;
  categories: string[];
  refusal: boolean;
  /** The intent check passed (coverage, required items, nothing a -neg flag excludes). */
  intentPassed: boolean;
  /** Share of the query's safe intent items the prompt kept. */
  coverage: number;
  requiredMissing: string[];
  words: number;
  /** The prompt fits the length budget (the video model's text encoder). */
  withinBudget: boolean;
  /** Image-to-video with a caption: query items the prompt left to the frame, which shows them (counted as kept). */
  shownByFrame?: string[];
}

export const PRINCIPLES = ["harmless", "accurate", "helpful"] as const;
export type Principle = (typeof PRINCIPLES)[number];

/** The judge's rubric scores, 1–5 per principle. */
export interface JudgeScores {
  harmless: number;
  accurate: number;
  helpful: number;
  total: number;
  reasons: Partial<Record<Principle, string>>;
}

export interface RewardScores {
  score: number;
  answers?: ("yes" | "no")[];
  video: { path: string; sha256: string; seed: number; cached: boolean };
  cached: boolean;
}

export interface SelectError {
  /** Which step failed for this candidate. */
  step: "judge" | "video" | "reward";
  code: VpoErrorCode | "internal";
  message: string;
  /** The model's reply when it was unreadable (first 2,000 characters). */
  raw?: string;
}

export interface CandidateScoresSet {
  checks: CheckScores;
  judge?: JudgeScores;
  reward?: RewardScores;
  /** Tournament: the round this candidate lost in (the winner: the number of rounds played). */
  round?: number;
}

/** One candidate of a selection, in the caller's order, with everything that was measured about it. */
export interface SelectedCandidate {
  index: number;
  prompt: string;
  /** No unsafe finding by the screen, nor (when asked) by the judge. An unsafe candidate never beats a safe one. */
  safe: boolean;
  scores: CandidateScoresSet;
  /** 1 = the winner. */
  rank: number;
  /** What could not be measured (an unreadable judge reply, a failed render): recorded, never a silent zero. */
  errors?: SelectError[];
  /** Why the candidate was not measured by the method (e.g. "unsafe: not rendered"). */
  skipped?: string;
}

export type OrderVerdict = number | "tie" | "unreadable" | "failed";

/** One tournament pairing: asked in both orders, so a judge's position bias cannot decide it. */
export interface TournamentMatch {
  round: number;
  a: number;
  b: number;
  /** Index of the candidate that went through. */
  winner: number;
  /** How it was decided. */
  decidedBy: "both-orders" | "reward" | "safety" | "tiebreak" | "bye";
  /** What each order said: the preferred candidate's index, a tie, or an unreadable reply or failed request. */
  orders?: [OrderVerdict, OrderVerdict];
  note?: string;
}

export interface Selection {
  method: SelectMethod;
  /** Index of the winning candidate. */
  winner: number;
  prompt: string;
  candidates: SelectedCandidate[];
  /** One sentence saying why the winner won. */
  why: string;
  matches?: TournamentMatch[];
  judgeModel?: ModelInfo;
  /** Which judge rubric produced the scores or comparisons (provenance). */
  rubric?: { name: string; version: string };
  /** Image-to-video with a caption: the caption the intent check read, and its items no candidate had to name. */
  frame?: { caption: string; notRequired: string[] };
  usage: Usage;
}

export interface SelectProgress {
  /** Candidates judged, videos scored, or tournament matches played. */
  unit: "judged" | "scored" | "matches";
  done: number;
  total: number;
}

export interface SelectOptions {
  method: SelectMethod;
  /** Default: the shipped lexicon screen. */
  screen?: SafetyScreen;
  /** Needed by `judge` and by `tournament` without a reward backend. */
  judge?: TextModel;
  judgeSampling?: Sampling;
  /** Needed by `reward` (and by `tournament` comparing videos): render with this backend… */
  video?: VideoBackend;
  /** …and score with this one, against the original query. */
  reward?: RewardBackend;
  /** The seed every candidate's video is rendered with, so videos differ by prompt only (default 0). */
  videoSeed?: number;
  /** Intent coverage a prompt needs to pass the intent check (default 0.6). */
  minCoverage?: number;
  /** Length budget in words (default 170: about CogVideoX's 226 T5 tokens). */
  maxWords?: number;
  /**
   * Image-to-video: the first frame, which a VLM reward sees besides the video's frames, and its caption (when a
   * caption model made one), which the intent check reads with the query.
   */
  image?: ImageInput & { caption?: string };
  /** Called as candidates are judged or scored and as matches are played (rendering can take minutes a video). */
  onProgress?: (progress: SelectProgress) => void;
  signal?: AbortSignal;
}
