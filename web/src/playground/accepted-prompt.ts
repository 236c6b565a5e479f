import type { QueryFlags } from "./types";

/** What a video tool takes from an accepted candidate. */
export interface AcceptedPrompt {
  prompt: string;
  negativePrompt: string | null;
  aspectRatio: string | null;
  seed: number | null;
  flags: QueryFlags;
}

export function acceptedPrompt(prompt: string, flags: QueryFlags, seed: number | undefined): AcceptedPrompt {
  return { prompt, negativePrompt: flags.negativePrompt ?? null, aspectRatio: flags.aspectRatio ?? null, seed: flags.seed ?? seed ?? null, flags };
}
