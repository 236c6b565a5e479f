import type { QueryFlags } from "../optimize/flags.js";
import type { TargetProfile } from "./types.js";

/** How far (relative) a supported value may be from the asked one before the mapping is worth a warning. */
export const FAR_FLAG_RATIO = 0.15;

export interface FlagMapping {
  flag: "aspectRatio" | "fps";
  from: string;
  to: string;
}

export interface MappedFlags {
  flags: QueryFlags;
  /** Values changed to the nearest the target supports. */
  mapped: FlagMapping[];
  /** Mappings far from what was asked, and values that could not be read. */
  warnings: string[];
}

function ratioValue(ratio: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*[:x/]\s*(\d+(?:\.\d+)?)\s*$/.exec(ratio);
  if (!m) return undefined;
  const [w, h] = [Number(m[1]), Number(m[2])];
  return w > 0 && h > 0 ? w / h : undefined;
}

/** The supported value nearest to `asked` on a log scale (so 2:1 and 1:2 are as far from 1:1). */
function nearest<T>(asked: number, options: readonly T[], value: (o: T) => number): { option: T; off: number } | undefined {
  let best: { option: T; off: number } | undefined;
  for (const option of options) {
    const off = Math.abs(Math.log(value(option) / asked));
    if (!best || off < best.off) best = { option, off };
  }
  return best;
}

/**
 * Maps a query's -ar and -fps to the nearest value the target supports: an exact match is kept, any other is
 * replaced (and listed), with a warning when the nearest is more than 15% away. A target that lists no values takes
 * any, so the flag passes through.
 */
export function mapFlagsToTarget(flags: QueryFlags, profile: TargetProfile): MappedFlags {
  const out: QueryFlags = { ...flags };
  const mapped: FlagMapping[] = [];
  const warnings: string[] = [];
  if (flags.aspectRatio && profile.aspectRatios.length) {
    const asked = ratioValue(flags.aspectRatio);
    const best = asked === undefined ? undefined : nearest(asked, profile.aspectRatios, (r) => ratioValue(r)!);
    if (!best) warnings.push(`-ar ${flags.aspectRatio} is not a W:H ratio; ${profile.name} supports ${profile.aspectRatios.join(", ")}`);
    else if (best.option !== flags.aspectRatio.replace(/\s/g, "")) {
      out.aspectRatio = best.option;
      mapped.push({ flag: "aspectRatio", from: flags.aspectRatio, to: best.option });
      if (best.off > Math.log(1 + FAR_FLAG_RATIO)) warnings.push(`-ar ${flags.aspectRatio} is not supported by ${profile.name} (${profile.aspectRatios.join(", ")}): using the nearest, ${best.option}`);
    }
  }
  if (flags.fps !== undefined && profile.fps.length) {
    const best = flags.fps > 0 ? nearest(flags.fps, profile.fps, (f) => f) : undefined;
    if (!best) warnings.push(`-fps ${flags.fps} is not a frame rate; ${profile.name} supports ${profile.fps.join(", ")}`);
    else if (best.option !== flags.fps) {
      out.fps = best.option;
      mapped.push({ flag: "fps", from: String(flags.fps), to: String(best.option) });
      if (best.off > Math.log(1 + FAR_FLAG_RATIO)) warnings.push(`-fps ${flags.fps} is not supported by ${profile.name} (${profile.fps.join(", ")}): using the nearest, ${best.option}`);
    }
  }
  return { flags: out, mapped, warnings };
}
