import { oneEditApart } from "../text/one-edit.js";

/** The typed fields of QueryFlags that a flag can fill. */
export type FlagField = "aspectRatio" | "negativePrompt" | "camera" | "motion" | "fps" | "seed" | "guidanceScale";

/** Flag names as the tools that read them spell them. */
export const KNOWN_FLAGS: Record<string, FlagField> = {
  ar: "aspectRatio",
  aspect: "aspectRatio",
  neg: "negativePrompt",
  negative: "negativePrompt",
  no: "negativePrompt",
  camera: "camera",
  cam: "camera",
  motion: "motion",
  fps: "fps",
  seed: "seed",
  gs: "guidanceScale",
  guidance: "guidanceScale",
};

/** The canonical spelling of each field, used when a warning says how a flag was read. */
export const CANONICAL: Record<FlagField, string> = {
  aspectRatio: "ar",
  negativePrompt: "neg",
  camera: "camera",
  motion: "motion",
  fps: "fps",
  seed: "seed",
  guidanceScale: "gs",
};

export const NUMERIC_FIELDS = new Set<FlagField>(["motion", "fps", "seed", "guidanceScale"]);

/**
 * Misspellings seen in real queries that edit distance alone cannot decide safely: two-letter names are one edit from
 * too many words. "-ae"/"-air" sit next to "-ar" on the keyboard, "-ng" drops a letter of "-neg".
 */
const ALIASES: Record<string, FlagField> = { ae: "aspectRatio", air: "aspectRatio", ap: "aspectRatio", ratio: "aspectRatio", ng: "negativePrompt" };

/** Flags of other tools that take no value (Pika's -hide, Midjourney's --tile …): nothing after them is theirs. */
export const VALUELESS = new Set(["hide", "tile", "video", "fast", "relax", "turbo", "draft", "raw", "sq"]);

/** Single-dash names that are flags wherever they stand (Pika's "-hide" ends many queries without another flag). */
export const PLAIN_SINGLE_DASH = new Set(["hide"]);

export const RATIO = /^\s*[=:]?\s*(\d+(?:\.\d+)?)\s*[:x/,]\s*(\d+(?:\.\d+)?)/i;
export const NUMBER = /^\s*[=:]?\s*([+-]?\d+(?:\.\d+)?)/;
const CAMERA_MOVE = /^\s*[=:]?\s*["'“]?(?:zoom|pan|tilt|rotate|dolly|orbit|track|truck|crane|push|pull|static|follow|spin|roll|move|arc)/i;

/** Whether a flag's value has the shape its field needs: a ratio, a number, a camera move, or any text. */
function fits(field: FlagField, value: string): boolean {
  if (field === "aspectRatio") return RATIO.test(value);
  if (NUMERIC_FIELDS.has(field)) return NUMBER.test(value);
  if (field === "camera") return CAMERA_MOVE.test(value);
  return /[\p{L}\p{N}]/u.test(value);
}

const QUOTED_VALUE = /^\s*[=:]?\s*(?:["“«']|&quot;)/;

/**
 * The field a misspelt flag name means, when its value fits that field: "-ae 16:9" → aspect ratio, "-moition4" →
 * motion, "-camer zoom in" → camera, "-net …" → negative prompt. Edit distance one only for names of three letters or
 * more with the same first letter; the value check keeps "-a lion" or "-side view" text. Outside a flag tail a
 * slip of "-neg" also needs a quoted list ('-net "dolphins in the sky"'), so "-new york" stays a place.
 */
export function misspeltFlag(name: string, value: string, inTail: boolean): FlagField | undefined {
  const alias = ALIASES[name];
  if (alias) return fits(alias, value) ? alias : undefined;
  if (name.length < 3) return undefined;
  for (const [known, field] of Object.entries(KNOWN_FLAGS)) {
    if (known.length < 3 || known[0] !== name[0] || !oneEditApart(name, known) || !fits(field, value)) continue;
    if (field === "negativePrompt" && !inTail && !QUOTED_VALUE.test(value)) continue;
    return field;
  }
  return undefined;
}
