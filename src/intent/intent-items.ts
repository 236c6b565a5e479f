import { decodeHTML } from "entities";
import { parseQueryFlags, type FlagParse } from "../optimize/flags.js";
import { readOnScreenText } from "../optimize/on-screen-text.js";
import { normalizeText } from "../text/normalize.js";
import { itemWords, textWords } from "./item-words.js";
import { negatedSpans } from "./query-negations.js";
import { RequiredContent } from "./required-items.js";
import { stem } from "./stem.js";
import { stylePhrases } from "./style-phrases.js";
import { STOPWORDS } from "./word-lists.js";

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
const FORMAT = /^(?:\d+k|\d{3,4}p|hd|uhd|fhd|hdr|4k|8k|16k|fps|\d+fps|ar|gs|seed|motion|camera)$/;

function cover(spans: [number, number][], start: number, end: number): boolean {
  for (const span of spans) if (start < span[1] && span[0] < end) return true;
  return false;
}

/** What the word loop needs to know about a lower-case word, found once per distinct word. */
interface WordClass {
  number: boolean;
  /** Too short, a stop word, a format tag ("4k", "fps") or starting with a digit: never a content item. */
  skip: boolean;
  /** The item's one stem when the word is plain ASCII (nothing to normalise or split). */
  stem: string | undefined;
  stop: boolean;
}

const NUMBER_WORD_SET = new Set(NUMBER_WORDS);
const classes = new Map<string, WordClass>();

const shortClasses = new Map<number, WordClass>();

/** Words of up to three ASCII characters ("a", "of", "the": most words of a query) by their codes, or -1. */
function shortCode(lw: string): number {
  if (lw.length > 3) return -1;
  let code = 0;
  for (let i = 0; i < lw.length; i++) {
    const c = lw.charCodeAt(i);
    if (c >= 0x80) return -1;
    code = code * 128 + c;
  }
  return code;
}

function classify(lw: string): WordClass {
  const code = shortCode(lw);
  let c = code < 0 ? classes.get(lw) : shortClasses.get(code);
  if (c) return c;
  const stop = STOPWORDS.has(lw);
  c = {
    number: /^\d{1,4}$/.test(lw) || NUMBER_WORD_SET.has(lw),
    skip: lw.length < 3 || stop || FORMAT.test(lw) || /^\d/.test(lw),
    stem: PLAIN.test(lw) ? stem(lw) : undefined,
    stop,
  };
  const cache = code >= 0 ? shortClasses : classes;
  if (cache.size < 50_000) (code >= 0 ? shortClasses.set(code, c) : classes.set(lw, c));
  return c;
}

/** True when only spaces stand between the sentence's last ".", "!" or "?" and `at` (a capital there starts a sentence). */
function startsSentence(text: string, at: number): boolean {
  let i = at - 1;
  while (i >= 0 && /\s/.test(text[i]!)) i--;
  return i >= 0 && (text[i] === "." || text[i] === "!" || text[i] === "?");
}

/**
 * The intent items of a query: flags, on-screen text, quoted text, numbers, names, style phrases and content words,
 * in that priority. A query whose flags are already parsed (readQuery) is not parsed again.
 */
export function extractIntent(query: string | FlagParse): { items: IntentItem[]; text: string } {
  const parsed = typeof query === "string" ? parseQueryFlags(query) : query;
  // Entities start with "&": a query without one is its own decoding.
  const text = parsed.text.includes("&") ? decodeHTML(parsed.text) : parsed.text;
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
  // Quoted text needs a quote mark, Pika's message its label: most queries have neither and are not scanned.
  const quotable = text.includes('"') || text.includes("“") || text.includes("«") || text.includes("'") || /message:/i.test(text);
  for (const m of quotable ? text.matchAll(QUOTED) : []) {
    const inner = (m[1] ?? m[2] ?? m[3] ?? m[4] ?? m[5] ?? "").trim();
    if (inner) add("quoted", inner, m.index!, m.index! + m[0].length, true, textWords(inner));
  }
  const words = [...text.matchAll(WORD)];
  for (const m of stylePhrases(normalizeText(text), words)) if (!cover(taken, m.start, m.end)) add("style", m.text, m.start, m.end, true);
  const negated = negatedSpans(text);
  const required = new RequiredContent();
  for (let i = 0; i < words.length; i++) {
    const m = words[i]!;
    const w = m[0];
    const start = m.index!;
    const end = start + w.length;
    if (cover(taken, start, end)) continue;
    const lw = w.toLowerCase();
    const c = classify(lw);
    // "petting animal (not cat)", "a street without cars": what the query rules out, never content to show.
    if (negated.length && cover(negated, start, end)) {
      if (lw.length >= 3 && !c.stop) add("negative", w, start, end, false);
      continue;
    }
    if (c.number) {
      if (lw === "one" || text[end] === ":" || text[start - 1] === ":") continue;
      items.push({ kind: "number", text: lw, stems: numberForms(lw), required: true, start, end });
      taken.push([start, end]);
      continue;
    }
    // Capitalised words mid-sentence ("Van Gogh", "Katrina Kaif") are names; runs of them form one name.
    if (i > 0 && !c.stop && /^\p{Lu}\p{Ll}+$/u.test(w) && !startsSentence(text, start)) {
      let j = i;
      while (j + 1 < words.length && /^\p{Lu}\p{Ll}+$/u.test(words[j + 1]![0]) && /^\s+$/.test(text.slice(words[j]!.index! + words[j]![0].length, words[j + 1]!.index!))) j++;
      const nameEnd = words[j]!.index! + words[j]![0].length;
      add("name", text.slice(start, nameEnd), start, nameEnd, true);
      required.name();
      i = j;
      continue;
    }
    if (c.skip) continue;
    add("content", w, start, end, required.content(lw), c.stem === undefined ? undefined : [c.stem]);
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
