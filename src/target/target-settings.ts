import { UsageError } from "../errors.js";
import { contentVersion } from "../util/stable-json.js";
import { loadTargets } from "./registry.js";
import { openPromptCounter } from "./tokens/open-counter.js";
import type { PromptTokenCounter } from "./tokens/prompt-counter.js";
import type { TargetProfile } from "./types.js";

/** A target as optimize(), the guard, the server and the pipeline apply it. */
export interface TargetSettings {
  profile: TargetProfile;
  counter: PromptTokenCounter;
  /** Tokens the prompt may take (default: the profile's textEncoder.maxTokens). */
  budget: number;
  /** Condense rounds before whole sentences are trimmed (default 2). */
  condenseAttempts?: number;
}

export interface OpenTargetOptions {
  /** --target: a profile id or alias. */
  target: string;
  /** --targets-file: the user's own profiles. */
  targetsFile?: string;
  /** --target-tokenizer: tokenizer.json, SentencePiece .model or a folder with one; without it, the estimate. */
  tokenizer?: string;
  /** --target-budget: a tighter (or, at the user's risk, looser) budget than the encoder's limit. */
  budget?: number;
  condenseAttempts?: number;
}

export async function openTarget(options: OpenTargetOptions): Promise<TargetSettings> {
  const profile = (await loadTargets({ targetsFile: options.targetsFile })).get(options.target);
  if (options.budget !== undefined && (!Number.isInteger(options.budget) || options.budget < 1)) throw new UsageError(`the target budget must be a positive integer, got ${options.budget}`);
  const counter = await openPromptCounter(profile.textEncoder.tokenizer, options.tokenizer);
  return { profile, counter, budget: options.budget ?? profile.textEncoder.maxTokens, ...(options.condenseAttempts !== undefined ? { condenseAttempts: options.condenseAttempts } : {}) };
}

/** What records and results say about the target: the profile's content version tells an edited profile apart. */
export interface TargetInfo {
  id: string;
  name: string;
  version: string;
  budget: number;
  counted: "exact" | "estimate";
  tokenizer: string;
}

export function targetInfo(settings: TargetSettings): TargetInfo {
  const { profile, counter, budget } = settings;
  return { id: profile.id, name: profile.name, version: contentVersion(profile), budget, counted: counter.counted, tokenizer: counter.source };
}
