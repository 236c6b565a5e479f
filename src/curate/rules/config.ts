import { readFile } from "node:fs/promises";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { InputError } from "../../errors.js";
import { DEFAULT_CHATTER_PATTERNS, DEFAULT_NON_VIDEO_KEYWORDS } from "./defaults.js";

/** The rule thresholds (`rules:` in curate.yaml). Defaults keep ≥ 99.8% of the paper's released dev queries. */
export const ruleConfigSchema = z
  .object({
    /** Words are whitespace-separated runs; a one-word query is too vague to optimize or to judge. */
    minWords: z.number().int().min(0).default(2),
    /** Queries this long are already prompts (the dev set's 99.9th percentile is 109 words). */
    maxWords: z.number().int().positive().default(120),
    minChars: z.number().int().min(0).default(8),
    maxChars: z.number().int().positive().default(800),
    /** Share of characters that are neither letters, marks, digits, spaces nor common punctuation (emoji, symbols). */
    maxSpecialCharRatio: z.number().min(0).max(1).default(0.2),
    dropUrls: z.boolean().default(true),
    dropEmails: z.boolean().default(true),
    /** @handles and <@123> mentions (Discord bot logs). */
    dropHandles: z.boolean().default(true),
    dropLlmChatter: z.boolean().default(true),
    /** Regular expressions (case-insensitive) for pasted chatbot text. */
    chatterPatterns: z.array(z.string()).default(DEFAULT_CHATTER_PATTERNS),
    /** Phrases (whole words, case-insensitive) of requests that are not for a video. */
    nonVideoKeywords: z.array(z.string()).default(DEFAULT_NON_VIDEO_KEYWORDS),
    /** ISO 639-1 codes to keep, e.g. [en]; empty = no language filter. Only reliable detections drop a query. */
    languages: z.array(z.string().regex(/^[a-z]{2}$/)).default([]),
  })
  .strict();

export const curateConfigSchema = z
  .object({
    rules: ruleConfigSchema.default(ruleConfigSchema.parse({})),
    /** Self-BLEU threshold τ: a query whose BLEU against a kept one is ≥ τ is dropped. */
    selfBleu: z.number().gt(0).max(1).default(0.6),
    safety: z
      .object({
        /** A row whose highest Detoxify score is ≥ this is a safety candidate. */
        detoxifyThreshold: z.number().min(0).max(1).default(0.5),
        /** With an LLM judge and no other signal: at most this many kept queries are judged. */
        judgeMaxChecks: z.number().int().positive().default(20_000),
        /** LLM re-checks in flight at once. */
        judgeConcurrency: z.number().int().positive().default(8),
      })
      .strict()
      .default({ detoxifyThreshold: 0.5, judgeMaxChecks: 20_000, judgeConcurrency: 8 }),
    sampling: z
      .object({
        general: z.number().int().min(0).default(18_000),
        safety: z.number().int().min(0).default(2_000),
        /** Share of each pool that goes to SFT; the rest goes to DPO. */
        sftShare: z.number().min(0).max(1).default(0.5),
        seed: z.number().int().default(0),
      })
      .strict()
      .default({ general: 18_000, safety: 2_000, sftShare: 0.5, seed: 0 }),
  })
  .strict();

export type RuleConfig = z.infer<typeof ruleConfigSchema>;
export type CurateConfig = z.infer<typeof curateConfigSchema>;

export function defaultCurateConfig(): CurateConfig {
  return curateConfigSchema.parse({});
}

/** Reads curate.yaml; unknown keys and bad values are errors naming the file and the field. */
export async function loadCurateConfig(path: string): Promise<CurateConfig> {
  let raw: unknown;
  try {
    raw = parseYaml(await readFile(path, "utf8")) ?? {};
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputError(code === "ENOENT" ? "no such file" : `not valid YAML: ${(error as Error).message}`, path);
  }
  const parsed = curateConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => `${issue.path.join(".") || "(top)"}: ${issue.message}`).join("; ");
    throw new InputError(`invalid config: ${issues}`, path);
  }
  for (const pattern of parsed.data.rules.chatterPatterns) {
    try {
      new RegExp(pattern, "iu");
    } catch (error) {
      throw new InputError(`invalid config: rules.chatterPatterns: ${(error as Error).message}`, path);
    }
  }
  return parsed.data;
}
