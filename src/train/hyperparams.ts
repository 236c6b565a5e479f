import { UsageError } from "../errors.js";

export type Stage = "sft" | "dpo";

/** The training recipe of one stage, engine-neutral. Defaults are the VPO paper's (section 4.1, appendix). */
export interface StageRecipe {
  learningRate: number;
  epochs: number;
  scheduler: "constant_with_warmup" | "linear" | "cosine";
  warmupRatio: number;
  /** Sequences per optimizer step over all GPUs: per-device batch × accumulation × world size. */
  effectiveBatch: number;
  /** Largest per-device micro-batch tried when splitting the effective batch (memory bound on 80 GB cards). */
  maxPerDeviceBatch: number;
  /** DPO β (LLaMA-Factory `pref_beta`, TRL `beta`). */
  beta?: number;
}

export const PAPER_RECIPES: Record<Stage, StageRecipe> = {
  sft: { learningRate: 2e-6, epochs: 5, scheduler: "constant_with_warmup", warmupRatio: 0.1, effectiveBatch: 64, maxPerDeviceBatch: 4 },
  dpo: { learningRate: 5e-7, epochs: 1, scheduler: "linear", warmupRatio: 0.1, effectiveBatch: 16, maxPerDeviceBatch: 2, beta: 0.1 },
};

/** The paper's base model (Llama-3-8B-Instruct), token cutoff and AdamW betas. */
export const PAPER_BASE_MODEL = "meta-llama/Meta-Llama-3-8B-Instruct";
export const DEFAULT_CUTOFF = 2048;
export const ADAM_BETAS = [0.9, 0.999] as const;

/**
 * The Hugging Face Trainer arguments both LLaMA-Factory and TRL configs carry for a stage (same names in both). The
 * warmup fraction goes in `warmup_ratio` (transformers < 5.15) or in `warmup_steps`, which transformers reads as a
 * fraction from 5.0 (see launch/version-requirements.ts); each engine's export picks the key for the versions it targets.
 */
export function trainerArguments(split: BatchSplit, recipe: StageRecipe, warmupKey: "warmup_ratio" | "warmup_steps") {
  return {
    per_device_train_batch_size: split.perDevice,
    gradient_accumulation_steps: split.accumulation,
    learning_rate: recipe.learningRate,
    num_train_epochs: recipe.epochs,
    lr_scheduler_type: recipe.scheduler,
    [warmupKey]: recipe.warmupRatio,
    adam_beta1: ADAM_BETAS[0],
    adam_beta2: ADAM_BETAS[1],
    bf16: true,
  };
}

export interface BatchSplit {
  perDevice: number;
  accumulation: number;
  world: number;
  /** What the split really gives; differs from the target only when the world size does not divide it. */
  effective: number;
}

/**
 * Splits an effective batch over `world` GPUs: the largest per-device micro-batch up to `maxPerDevice` that divides the
 * per-GPU share, the rest as gradient accumulation. When the world size does not divide the target, the nearest
 * achievable effective batch is used (the caller warns).
 */
export function splitBatch(effective: number, world: number, maxPerDevice: number): BatchSplit {
  if (!Number.isInteger(effective) || effective < 1) throw new UsageError(`effective batch must be a positive integer, got ${effective}`);
  if (!Number.isInteger(world) || world < 1) throw new UsageError(`GPU count must be a positive integer, got ${world}`);
  const share = Math.max(1, Math.round(effective / world));
  let perDevice = 1;
  for (let b = Math.min(maxPerDevice, share); b >= 1; b--) {
    if (share % b === 0) {
      perDevice = b;
      break;
    }
  }
  const accumulation = share / perDevice;
  return { perDevice, accumulation, world, effective: perDevice * accumulation * world };
}

/** Optimizer steps of a run: ceil(rows / effective batch) per epoch. */
export function totalSteps(rows: number, effective: number, epochs: number): number {
  return Math.ceil(rows / effective) * Math.ceil(epochs);
}

/** About a hundred progress rows per run, never fewer than one step apart nor more than ten. */
export function loggingSteps(steps: number): number {
  return Math.min(10, Math.max(1, Math.floor(steps / 100)));
}
