import { z } from "zod";

const ratio = z.string().regex(/^\d+:\d+$/, 'an aspect ratio is "W:H", e.g. "16:9"');
const language = z.string().regex(/^[a-z]{2}$/, "a language is an ISO 639-1 code, e.g. \"en\"");

/** A profile file (data/targets/*.json or one entry of a --targets-file): strict, so a typo is an error, not a default. */
export const targetProfileSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, "an id is lower-case letters, digits, '.', '_' or '-'"),
    name: z.string().min(1),
    aliases: z.array(z.string().min(1)).default([]),
    textEncoder: z
      .object({
        name: z.string().min(1),
        tokenizer: z.enum(["t5", "umt5", "llama", "clip", "qwen", "gemma", "byt5", "other"]),
        maxTokens: z.number().int().positive(),
      })
      .strict(),
    languages: z.array(language).min(1),
    guide: z
      .object({
        words: z.tuple([z.number().int().positive(), z.number().int().positive()]).refine(([lo, hi]) => lo <= hi, "guide.words is [min, max] with min <= max"),
        style: z.string().min(1),
      })
      .strict(),
    negativePrompt: z.string().min(1).optional(),
    aspectRatios: z.array(ratio),
    resolutions: z.array(z.string().regex(/^\d+x\d+$/, 'a resolution is "WxH", e.g. "1280x720"')).optional(),
    fps: z.array(z.number().positive()),
    multiShot: z.object({ syntax: z.string().min(1), maxShots: z.number().int().min(2) }).strict().optional(),
    sources: z
      .array(z.object({ fact: z.string().min(1), url: z.string().url(), quote: z.string().min(1).optional(), note: z.string().min(1).optional() }).strict())
      .default([]),
  })
  .strict();
