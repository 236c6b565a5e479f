import type { BatchSplit, Stage, StageRecipe } from "../hyperparams.js";
import type { PairRow, SftRow } from "../conversation.js";

/** One stage as it will be trained: the recipe, its batch split for the GPU count, and the row count it runs on. */
export interface StagePlan {
  stage: Stage;
  recipe: StageRecipe;
  split: BatchSplit;
  rows: number;
  steps: number;
  loggingSteps: number;
}

/** Everything an engine exporter needs besides the rows. */
export interface ExportPlan {
  /** Base model of SFT (a hub id or a local folder). */
  baseModel: string;
  /** Model DPO starts from; default: the SFT stage's output folder in the same export. */
  dpoModel?: string;
  cutoff: number;
  gpusPerNode: number;
  nodes: number;
  stages: Partial<Record<Stage, StagePlan>>;
  /** Base model name on a fine-tuning API (OpenAI or Together), when exporting for one. */
  apiModel?: string;
  /** TRL SFT rows as conversational prompt/completion (the default: prompt tokens masked) or as `messages` (all trained). */
  trlSftFormat: "messages" | "prompt-completion";
}

export interface ExportRows {
  sft: SftRow[];
  pairs: PairRow[];
}

/** What one engine's export wrote, and the commands that train on it (run from `dir`). */
export interface EngineExport {
  engine: Engine;
  dir: string;
  files: string[];
  commands: string[];
  /** What the user must know about how the engine will see the rows (shown by `vpo train export`). */
  warnings?: string[];
}

export const ENGINES = ["llamafactory", "trl", "openai", "together"] as const;
export type Engine = (typeof ENGINES)[number];

export type EngineExporter = (dir: string, rows: ExportRows, plan: ExportPlan) => Promise<EngineExport>;
