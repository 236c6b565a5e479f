import type { OptimizeOptions } from "../optimize/optimize.js";

/**
 * A target profile's defaults for prompt shaping: its languages (for `--lang auto`), its default negative prompt
 * and its multi-shot syntax. What the caller set explicitly wins.
 */
export function withTargetShape(options: OptimizeOptions): OptimizeOptions {
  const profile = options.target?.profile;
  if (!profile) return options;
  return {
    ...options,
    ...(options.targetLanguages === undefined && profile.languages.length ? { targetLanguages: profile.languages } : {}),
    ...(options.defaultNegative === undefined && profile.negativePrompt ? { defaultNegative: profile.negativePrompt } : {}),
    ...(options.shotSyntax === undefined && profile.multiShot ? { shotSyntax: profile.multiShot.syntax } : {}),
    ...(options.maxShots === undefined && profile.multiShot ? { maxShots: profile.multiShot.maxShots } : {}),
  };
}
