import { UsageError } from "../errors.js";
import type { LanguageGuess } from "../text/detect-language.js";

/** `--lang`: a language code, `same` (the query's language) or `auto` (the query's, when the target reads it). */
export type LanguageOption = "auto" | "same" | (string & {});

/** The result's `language`: what the query is in and what the prompt was written in. */
export interface LanguageReport {
  /** ISO 639-1 code of the query (its flags, quoted text and protected terms left out). */
  detected: string;
  /** False when the query was too short to tell and `detected` is the script's default guess. */
  reliable: boolean;
  /** ISO 639-1 code the prompt was asked to be in. */
  output: string;
  /** False when the prompt is still not in `output` after a re-ask (a warning says so). */
  matched: boolean;
}

const NAMES = new Intl.DisplayNames(["en"], { type: "language", fallback: "none" });

/** "zh" → "Chinese": the name a model is told to write in. */
export function languageName(code: string): string {
  return NAMES.of(code) ?? code;
}

/** Checks a `--lang` value: auto, same, or a two-letter ISO 639-1 code. */
export function checkLanguageOption(lang: string | undefined): LanguageOption {
  const value = (lang ?? "auto").trim().toLowerCase();
  if (value === "auto" || value === "same") return value;
  if (/^[a-z]{2}$/.test(value) && NAMES.of(value)) return value;
  throw new UsageError(`unknown language "${lang}" (expected en, zh, another ISO 639-1 code, same or auto)`);
}

/**
 * The language a prompt is written in: the code given; `same`: the query's (English when the query is too short to
 * tell); `auto` (the default): the query's language when the target model reads it, else the target's primary
 * language; English without a target (the VPO model and most video models are English-trained). So an English
 * query for Wan stays English, a Chinese one for Wan stays Chinese, and a Chinese one for CogVideoX becomes English.
 */
export function resolveOutputLanguage(lang: string | undefined, detected: LanguageGuess, targetLanguages: readonly string[] = []): string {
  const option = checkLanguageOption(lang);
  if (option === "same") return detected.reliable ? detected.language : "en";
  if (option === "auto") {
    const reads = targetLanguages.map((l) => l.toLowerCase());
    const query = detected.reliable ? detected.language : "en";
    return reads.length === 0 ? "en" : reads.includes(query) ? query : reads[0]!;
  }
  return option;
}
