import { UsageError } from "../errors.js";
import type { Sampling } from "../model/types.js";

/** official: the released VPO models' inference setting; sample: the DPO sampling setting (paper §3.3, K = 4). */
export const PRESETS = {
  official: { temperature: 0.7, topP: 1.0 },
  sample: { temperature: 0.9, topP: 0.9 },
} as const satisfies Record<string, Sampling>;

export type PresetName = keyof typeof PRESETS;

export const DEFAULT_MAX_TOKENS = 512;

export interface ResolvedSampling extends Sampling {
  preset: PresetName;
  temperature: number;
  topP: number;
  maxTokens: number;
}

export function resolveSampling(preset: string | undefined, overrides: Sampling = {}): ResolvedSampling {
  const name = (preset ?? "official") as PresetName;
  if (!(name in PRESETS)) throw new UsageError(`unknown preset "${preset}" (expected ${Object.keys(PRESETS).join(" or ")})`);
  const defined = Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined)) as Sampling;
  const s: ResolvedSampling = { preset: name, ...PRESETS[name], maxTokens: DEFAULT_MAX_TOKENS, ...defined };
  if (!(s.temperature >= 0 && s.temperature <= 5)) throw new UsageError(`temperature must be between 0 and 5, got ${s.temperature}`);
  if (!(s.topP > 0 && s.topP <= 1)) throw new UsageError(`top-p must be in (0, 1], got ${s.topP}`);
  if (!(Number.isInteger(s.maxTokens) && s.maxTokens > 0)) throw new UsageError(`max-tokens must be a positive integer, got ${s.maxTokens}`);
  if (s.seed !== undefined && !Number.isInteger(s.seed)) throw new UsageError(`seed must be an integer, got ${s.seed}`);
  return s;
}
