import type { OutcomeError } from "../../optimize/optimize.js";
import type { ModelInfo, Usage } from "../../model/types.js";
import type { Answer } from "../../reward/types.js";

/** What produced a system's prompts (provenance). */
export interface OptimizerInfo {
  model: ModelInfo;
  template: { name: string; version: string };
  sampling?: Record<string, unknown>;
}

/**
 * prompts.jsonl: one optimizer call per query × system. `prompts` holds the prompt each label renders: the system's
 * name for a benchmark, `iteration-1` … `iteration-N` for iterative re-optimization.
 */
export interface PromptRecord {
  index: number;
  status: "ok" | "failed";
  queryIndex: number;
  system: string;
  query: string;
  prompts: Record<string, string | null>;
  optimizer: OptimizerInfo;
  usage: Usage;
  /** Iterative runs: the iteration at which the prompt stopped changing (undefined: it changed every time). */
  stoppedAt?: number;
  error?: OutcomeError;
  ms: number;
}

/** results.jsonl: one row per query × system — its prompt, video, score against the ORIGINAL query, provenance. */
export interface BenchRecord {
  index: number;
  status: "ok" | "failed";
  queryIndex: number;
  /** The suite's own id of the query, when it has one. */
  id?: string | number;
  system: string;
  query: string;
  categories: string[];
  prompt: string | null;
  outcome: "scored" | "rendered" | "optimizer-failed" | "video-failed" | "reward-failed";
  optimizer?: OptimizerInfo;
  video?: { path: string; sha256: string; bytes: number; seed: number; key: string; cached: boolean; adopted?: boolean };
  reward?: { score: number; answers?: Answer[]; cached: boolean; adopted?: boolean };
  /** The table's columns for this row (reward dimensions, overall or score). */
  columns: Record<string, number>;
  error?: { code: string; message: string };
  ms: number;
}

/** One line of items.jsonl / prompt-items.jsonl: the work list a resumed run walks again. */
export interface WorkItem {
  query: string;
  id: string;
  queryIndex: number;
  system: string;
  /** Phase 2: the prompts.jsonl system whose prompt this label renders (absent: the raw query). */
  source?: string;
  categories?: string[];
  suiteId?: string | number;
}
