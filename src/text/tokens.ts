import type { NormalizedText } from "./normalize.js";

/** A word of normalised text; `start`/`end` index the normalised text. */
export interface Token {
  text: string;
  start: number;
  end: number;
}

// Digits and "@$*" stay inside words so leetspeak ("s3x", "@ss") and masks ("p*rn") survive tokenisation.
const WORD = /[\p{L}\p{N}@$*]+/gu;
const HAS_WORD_CHAR = /[\p{L}\p{N}]/u;

// For lower-cased ASCII text: 1 for a word character (a–z, 0–9), 2 for a character that stays inside a word (@ $ *).
const ASCII_CLASS = new Uint8Array(128);
for (let c = 97; c <= 122; c++) ASCII_CLASS[c] = 1;
for (let c = 48; c <= 57; c++) ASCII_CLASS[c] = 1;
for (const c of "@$*") ASCII_CLASS[c.charCodeAt(0)] = 2;
const STAR = 42;

export function tokenize(n: NormalizedText): Token[] {
  if (!n.starts) return tokenizeAscii(n.text);
  WORD.lastIndex = 0;
  const tokens: Token[] = [];
  for (let m = WORD.exec(n.text); m; m = WORD.exec(n.text)) {
    let text = m[0];
    let start = m.index;
    // "*sigh*" or "**bold**": asterisks at the edges are markup, not masks.
    while (text.startsWith("*")) (text = text.slice(1)), start++;
    while (text.endsWith("*")) text = text.slice(0, -1);
    if (!text || !HAS_WORD_CHAR.test(text)) continue;
    tokens.push({ text, start, end: start + text.length });
  }
  return tokens;
}

/** The same tokens as the regular expression gives for ASCII text, read character by character (the common case). */
function tokenizeAscii(text: string): Token[] {
  const tokens: Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c >= 128 || ASCII_CLASS[c] === 0) {
      i++;
      continue;
    }
    let start = i;
    let words = 0;
    while (i < n) {
      const k = text.charCodeAt(i);
      const cls = k < 128 ? ASCII_CLASS[k]! : 0;
      if (cls === 0) break;
      if (cls === 1) words++;
      i++;
    }
    if (!words) continue;
    let end = i;
    while (text.charCodeAt(start) === STAR) start++;
    while (text.charCodeAt(end - 1) === STAR) end--;
    tokens.push({ text: text.slice(start, end), start, end });
  }
  return tokens;
}

/** Tokenises a lexicon or word-list entry the way text is tokenised ("woman's" → woman, s; "self-harm" → self, harm). */
export function tokenizePlain(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}@$*]+/gu) ?? [];
}

const LEET: Record<string, string> = { "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", $: "s" };
const LEET_CHARS = /[0134578@$]/;
const LETTER = /\p{L}/u;

/** "s3x" → "sex", "@ss" → "ass", "k1ll" → "kiil" and "kill": only for words that mix letters with digits or symbols. */
export function leetVariants(word: string): string[] {
  if (!LEET_CHARS.test(word) || !LETTER.test(word)) return [];
  let out = "";
  for (const c of word) out += LEET[c] ?? c;
  const variants = [out];
  if (word.includes("1")) variants.push([...word].map((c) => (c === "1" ? "l" : LEET[c] ?? c)).join(""));
  return variants;
}

const DOUBLED = /(\p{L})\1/u;
const RUNS = /(\p{L})\1+/gu;

/** True when a word has a letter twice in a row, the only words `squeeze` can change. */
export const hasDoubledLetter = (word: string): boolean => DOUBLED.test(word);

/** Collapses every run of a repeated letter to one ("nakkked" → "naked", "kill" → "kil"). */
export const squeeze = (word: string): string => word.replace(RUNS, "$1");
