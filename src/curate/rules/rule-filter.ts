import { wordCount } from "../histogram.js";
import type { RuleConfig } from "./config.js";

export const RULE_REASONS = [
  "too-few-words",
  "too-many-words",
  "too-short",
  "too-long",
  "special-chars",
  "url",
  "email",
  "handle",
  "llm-chatter",
  "non-video",
  "language",
] as const;
export type RuleReason = (typeof RULE_REASONS)[number];

export interface RuleVerdict {
  reason: RuleReason;
  detail?: string;
}

/** Checks one normalised query; the first failing rule wins. */
export type RuleFilter = (query: string) => RuleVerdict | undefined;

const URL = /\bhttps?:\/\/\S|\bwww\.[\p{L}\p{N}-]+\.\p{L}/iu;
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+\.[\p{L}]{2,}/u;
const HANDLE = /(?:^|[\s(])@[\p{L}\p{N}_]{2,}|<@!?\d+>/u;
const SPECIAL = /[^\p{L}\p{M}\p{N}\s.,;:!?'"’‘“”()\-–—/&%+#*[\]_]/gu;

const MIN_WORDS_FOR_LANGUAGE = 5;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function phraseMatcher(phrases: readonly string[]): RegExp | undefined {
  if (!phrases.length) return undefined;
  // Whole words: not preceded or followed by a letter or digit.
  return new RegExp(`(?<![\\p{L}\\p{N}])(?:${phrases.map((p) => escapeRegExp(p.trim()).replace(/\s+/g, "\\s+")).join("|")})(?![\\p{L}\\p{N}])`, "iu");
}

export interface LanguageDetector {
  detect(text: string): { language: string; isReliable(): boolean };
}

/** Loads the language detector only when a language filter is configured. */
export async function loadLanguageDetector(): Promise<LanguageDetector> {
  const { eld } = await import("eld/large");
  return eld as LanguageDetector;
}

export function createRuleFilter(config: RuleConfig, languageDetector?: LanguageDetector): RuleFilter {
  const chatter = config.dropLlmChatter && config.chatterPatterns.length ? new RegExp(config.chatterPatterns.map((p) => `(?:${p})`).join("|"), "iu") : undefined;
  const nonVideo = phraseMatcher(config.nonVideoKeywords);
  const languages = new Set(config.languages);
  if (languages.size && !languageDetector) throw new Error("a language filter needs a language detector (loadLanguageDetector)");
  return (query) => {
    const words = wordCount(query);
    if (words < config.minWords) return { reason: "too-few-words", detail: `${words} < ${config.minWords}` };
    if (words > config.maxWords) return { reason: "too-many-words", detail: `${words} > ${config.maxWords}` };
    const chars = [...query].length;
    if (chars < config.minChars) return { reason: "too-short", detail: `${chars} < ${config.minChars} characters` };
    if (chars > config.maxChars) return { reason: "too-long", detail: `${chars} > ${config.maxChars} characters` };
    const special = query.match(SPECIAL)?.length ?? 0;
    if (special / chars > config.maxSpecialCharRatio) return { reason: "special-chars", detail: `${((special / chars) * 100).toFixed(0)}% special characters` };
    if (config.dropUrls && URL.test(query)) return { reason: "url" };
    if (config.dropEmails && EMAIL.test(query)) return { reason: "email" };
    if (config.dropHandles && HANDLE.test(query)) return { reason: "handle" };
    const chat = chatter?.exec(query);
    if (chat) return { reason: "llm-chatter", detail: chat[0] };
    const request = nonVideo?.exec(query);
    if (request) return { reason: "non-video", detail: request[0] };
    // Detectors guess wildly on a few words ("rambo on vacation" → fr), so short queries are not judged.
    if (languages.size && words >= MIN_WORDS_FOR_LANGUAGE) {
      const result = languageDetector!.detect(query);
      if (result.language && result.isReliable() && !languages.has(result.language)) return { reason: "language", detail: result.language };
    }
    return undefined;
  };
}
