import { stem, type IntentItem } from "../intent/intent-items.js";
import { itemWords, textWords } from "../intent/item-words.js";
import type { ProtectedTerm } from "./protected-terms.js";

/** Where a negative term came from: the query's `-neg`, the target model's default, or the model's own list. */
export type NegativeSource = "query" | "profile" | "generated";

export interface NegativeTerm {
  term: string;
  source: NegativeSource;
}

export interface DroppedNegative extends NegativeTerm {
  reason: string;
}

/** The negative prompt and how it was put together, for the result's report. */
export interface NegativePrompt {
  /** The terms joined with ", ": what a video model's negative-prompt field takes. */
  text: string;
  terms: NegativeTerm[];
  /** Duplicates are merged silently; these were left out because the positive prompt needs them. */
  dropped: DroppedNegative[];
}

export interface ComposeNegativeOptions {
  /** The query's `-neg` text (QueryFlags.negativePrompt). */
  query?: string;
  /** The target model's default negative prompt (TargetProfile.negativePrompt). */
  defaultNegative?: string;
  /** Content-specific terms the model listed (`--negatives generate`). */
  generated?: readonly string[];
  /** The positive prompt: a profile or generated term it shows is not negated. */
  prompt: string;
  /** The query's intent items: none of them is ever negated, whatever the source. */
  intent?: readonly IntentItem[];
  /** Terms the prompt must show verbatim, and whether the query asks for on-screen or quoted text. */
  protectedTerms?: readonly ProtectedTerm[];
}

/** Words that negate shown text: they contradict a query whose on-screen or quoted text must appear. */
const TEXT_WORDS = new Set(["text", "words", "letters", "writing", "subtitles", "captions", "typography", "lettering", "font", "字幕", "文字"].map(stem));

/** A negative list split into terms: commas (also the Chinese "，" and "、"), semicolons and line breaks. */
export function splitNegativeTerms(text: string | undefined): string[] {
  if (!text) return [];
  return text
    .split(/[,，、;；\n]+/u)
    .map((t) => t.replace(/^[\s"'“”‘’(（[]+|[\s"'“”‘’)）\].。]+$/gu, "").replace(/:\s*\d+(?:\.\d+)?$/, "").replace(/\s+/g, " ").trim())
    .filter((t) => /[\p{L}\p{N}]/u.test(t));
}

/** Two spellings of one term share a key: case, width, plurals and word endings aside ("Distorted faces" = "distorted face"). */
export function negativeKey(term: string): string {
  const words = textWords(term.normalize("NFKC"));
  return words.length ? words.map(stem).join(" ") : term.normalize("NFKC").toLowerCase().replace(/\s+/g, "");
}

const contentStems = (text: string) => itemWords(text.normalize("NFKC")).map(stem);

/** Why the positive prompt needs a term, or undefined when it may be negated. */
function conflict(term: NegativeTerm, stems: string[], needs: { required: Set<string>; prompt: Set<string>; showsText: boolean; protectedKeys: string[] }): string | undefined {
  if (!stems.length) return undefined;
  if (stems.every((s) => needs.required.has(s))) return "the query asks for it";
  const key = negativeKey(term.term);
  if (needs.protectedKeys.some((p) => p.includes(key) || key.includes(p))) return "it is a protected term";
  // "text" or "subtitles" negate the text itself; "garbled letters" or "warped text" only its defects, which stay.
  if (needs.showsText && stems.every((s) => TEXT_WORDS.has(s))) return "the video must show text";
  // The query's own -neg terms stand even when the prompt mentions them ("a street without cars").
  if (term.source !== "query" && stems.every((s) => needs.prompt.has(s))) return "the prompt shows it";
  return undefined;
}

/**
 * The negative prompt: the query's `-neg` terms, then the target's default, then the model's generated terms,
 * deduplicated by `negativeKey` (first spelling wins). A term the positive side needs is dropped with the reason:
 * one naming an element of the query, a protected term, a text term when the video must show text, and a
 * default or generated term the prompt itself shows.
 */
export function composeNegativePrompt(options: ComposeNegativeOptions): NegativePrompt {
  const candidates: NegativeTerm[] = [
    ...splitNegativeTerms(options.query).map((term) => ({ term, source: "query" as const })),
    ...splitNegativeTerms(options.defaultNegative).map((term) => ({ term, source: "profile" as const })),
    ...(options.generated ?? []).flatMap((t) => splitNegativeTerms(t)).map((term) => ({ term, source: "generated" as const })),
  ];
  const protectedTerms = options.protectedTerms ?? [];
  const needs = {
    // Every element the query asks for, required or not: negating a word the user typed contradicts them.
    required: new Set((options.intent ?? []).filter((i) => i.kind !== "negative").flatMap((i) => i.stems)),
    prompt: new Set(contentStems(options.prompt)),
    showsText: protectedTerms.some((t) => t.source === "on-screen-text" || t.source === "quoted"),
    protectedKeys: protectedTerms.map((t) => negativeKey(t.text)).filter(Boolean),
  };
  const seen = new Set<string>();
  const terms: NegativeTerm[] = [];
  const dropped: DroppedNegative[] = [];
  for (const candidate of candidates) {
    const key = negativeKey(candidate.term);
    if (seen.has(key)) continue;
    seen.add(key);
    const reason = conflict(candidate, contentStems(candidate.term), needs);
    if (reason) dropped.push({ ...candidate, reason });
    else terms.push(candidate);
  }
  return { text: terms.map((t) => t.term).join(", "), terms, dropped };
}
