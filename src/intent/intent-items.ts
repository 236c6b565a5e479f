import { decodeHTML } from "entities";
import { parseQueryFlags, type FlagParse } from "../optimize/flags.js";
import { readOnScreenText } from "../optimize/on-screen-text.js";
import { normalizeText } from "../text/normalize.js";
import { itemWords, textWords } from "./item-words.js";
import { negatedSpans } from "./query-negations.js";
import { RequiredContent } from "./required-items.js";
import { stem } from "./stem.js";
import { STOPWORDS, STYLE_PHRASES } from "./word-lists.js";

export { stem } from "./stem.js";

export type IntentKind = "content" | "number" | "quoted" | "on-screen-text" | "name" | "style" | "camera" | "negative";

/** One element of a query's intent that a prompt should keep (or, for `negative`, keep out). */
export interface IntentItem {
  kind: IntentKind;
  text: string;
  /** Lower-case stems the prompt must contain (all of them) for the item to count as kept. */
  stems: string[];
  /** Required items (numbers, quoted text, names, styles, camera, the subject, colours) make a prompt imprecise when missing. */
  required: boolean;
  /** Span in the query's flag-free text (for excluding unsafe spans). */
  start: number;
  end: number;
}

const NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"];
export const numberForms = (n: string): string[] => {
  const i = NUMBER_WORDS.indexOf(n);
  if (i >= 0) return [n, String(i)];
  const k = Number(n);
  return Number.isInteger(k) && k >= 0 && k <= 20 ? [n, NUMBER_WORDS[k]!] : [n];
};

const QUOTED = /"([^"]{1,120})"|“([^”]{1,120})”|«([^»]{1,120})»|(?<![\w])'([^']{2,120})'(?![\w])|\bmessage:\s*([^(\n]{1,120}?)\s*\(font:/gi;
const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;
// A lower-case ASCII word with nothing to normalise or split: its stem is the item's only stem.
const PLAIN = /^[a-z0-9]+$/;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** Every style phrase in one pass, longest first so "3d animation" wins over "3d". */
const STYLE = new RegExp(`(?<![\\p{L}\\p{N}])(?:${[...STYLE_PHRASES].sort((a, b) => b.length - a.length).map(escape).join("|")})(?![\\p{L}\\p{N}])`, "gu");
const FORMAT = /^(?:\d+k|\d{3,4}p|hd|uhd|fhd|hdr|4k|8k|16k|fps|\d+fps|ar|gs|seed|motion|camera)$/;

function cover(spans: [number, number][], start: number, end: number): boolean {
  return spans.some(([a, b]) => start < b && a < end);
}

/**
 * The intent items of a query: flags, on-screen text, quoted text, numbers, names, style phrases and content words,
 * in that priority. A query whose flags are already parsed (readQuery) is not parsed again.
 */
export function extractIntent(query: string | FlagParse): { items: IntentItem[]; text: string } {
  const parsed = typeof query === "string" ? parseQueryFlags(query) : query;
  const text = decodeHTML(parsed.text);
  const items: IntentItem[] = [];
  const taken: [number, number][] = [];
  const add = (kind: IntentKind, itemText: string, start: number, end: number, required: boolean, stems?: string[]) => {
    const s = stems ?? itemWords(itemText).map(stem);
    if (!s.length) return;
    items.push({ kind, text: itemText, stems: s, required, start, end });
    taken.push([start, end]);
  };
  if (parsed.flags.camera) add("camera", parsed.flags.camera, -1, -1, true);
  for (const neg of (parsed.flags.negativePrompt ?? "").split(/,|\band\b/).map((s) => s.trim()).filter(Boolean)) add("negative", neg, -1, -1, false);
  // Pika's "Message: TEXT (Font: NAME)": the words must appear verbatim, and the font line is not scene content.
  const onScreen = readOnScreenText(text);
  if (onScreen) add("on-screen-text", onScreen.text, onScreen.start, onScreen.end, true, (onScreen.text.toLowerCase().match(WORD) ?? []).map((w) => w.toLowerCase()));
  for (const m of text.matchAll(QUOTED)) {
    const inner = (m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5] ?? "").trim();
    if (inner) add("quoted", inner, m.index!, m.index! + m[0].length, true, textWords(inner));
  }
  const lower = normalizeText(text).text;
  STYLE.lastIndex = 0;
  for (const m of lower.matchAll(STYLE)) {
    const end = m.index! + m[0].length;
    if (!cover(taken, m.index!, end)) add("style", m[0], m.index!, end, true);
  }
  const words = [...text.matchAll(WORD)];
  const negated = negatedSpans(text);
  const required = new RequiredContent();
  for (let i = 0; i < words.length; i++) {
    const m = words[i]!;
    const w = m[0];
    const start = m.index!;
    const end = start + w.length;
    if (cover(taken, start, end)) continue;
    const lw = w.toLowerCase();
    // "petting animal (not cat)", "a street without cars": what the query rules out, never content to show.
    if (negated.length && cover(negated, start, end)) {
      if (lw.length >= 3 && !STOPWORDS.has(lw)) add("negative", w, start, end, false);
      continue;
    }
    if (/^\d{1,4}$/.test(lw) || NUMBER_WORDS.includes(lw)) {
      if (lw === "one" || text[end] === ":" || text[start - 1] === ":") continue;
      items.push({ kind: "number", text: lw, stems: numberForms(lw), required: true, start, end });
      taken.push([start, end]);
      continue;
    }
    // Capitalised words mid-sentence ("Van Gogh", "Katrina Kaif") are names; runs of them form one name.
    if (/^\p{Lu}\p{Ll}+$/u.test(w) && i > 0 && !/[.!?]\s*$/.test(text.slice(0, start)) && !STOPWORDS.has(lw)) {
      let j = i;
      while (j + 1 < words.length && /^\p{Lu}\p{Ll}+$/u.test(words[j + 1]![0]) && /^\s+$/.test(text.slice(words[j]!.index! + words[j]![0].length, words[j + 1]!.index!))) j++;
      const nameEnd = words[j]!.index! + words[j]![0].length;
      add("name", text.slice(start, nameEnd), start, nameEnd, true);
      required.name();
      i = j;
      continue;
    }
    if (lw.length < 3 || STOPWORDS.has(lw) || FORMAT.test(lw) || /^\d/.test(lw)) continue;
    add("content", w, start, end, required.content(lw), PLAIN.test(lw) ? [stem(lw)] : undefined);
  }
  return { items: dedupe(items), text };
}

function dedupe(items: IntentItem[]): IntentItem[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = `${item.kind === "negative" ? "neg:" : ""}${item.stems.join(" ")}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
