import type { NormalizedText } from "../text/normalize.js";
import { STYLE_PHRASES } from "./word-lists.js";

export interface StyleMatch {
  text: string;
  start: number;
  end: number;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** Every style phrase in one pass, longest first so "3d animation" wins over "3d". */
const STYLE = new RegExp(`(?<![\\p{L}\\p{N}])(?:${[...STYLE_PHRASES].sort((a, b) => b.length - a.length).map(escape).join("|")})(?![\\p{L}\\p{N}])`, "gu");
const STYLE_AT = new RegExp(STYLE.source, "uy");
/** The first run of letters and digits of every style phrase ("bird" of "bird's eye view", "3d" of "3d render"). */
const STYLE_STARTS = new Set(STYLE_PHRASES.map((p) => p.match(/^[\p{L}\p{N}]+/u)![0]));

/**
 * The style phrases of lower-cased ASCII text, as `STYLE` finds them, tried only where a word starts with a phrase's
 * first word. `words` are the text's WORD matches; a word glued by an apostrophe ("x'anime") starts a run too.
 */
function asciiStyles(lower: string, words: RegExpMatchArray[]): StyleMatch[] {
  const out: StyleMatch[] = [];
  let after = 0;
  const tryAt = (start: number, run: string) => {
    if (start < after || !STYLE_STARTS.has(run)) return;
    STYLE_AT.lastIndex = start;
    const m = STYLE_AT.exec(lower);
    if (m) {
      out.push({ text: m[0], start, end: start + m[0].length });
      after = start + m[0].length;
    }
  };
  for (const w of words) {
    const word = w[0].toLowerCase();
    const apostrophe = word.indexOf("'");
    if (apostrophe < 0) tryAt(w.index!, word);
    else {
      tryAt(w.index!, word.slice(0, apostrophe));
      tryAt(w.index! + apostrophe + 1, word.slice(apostrophe + 1));
    }
  }
  return out;
}

/** The style phrases of a query's text (normalised), with spans; `words` are the text's word matches. */
export function stylePhrases(normalized: NormalizedText, words: RegExpMatchArray[]): StyleMatch[] {
  if (!normalized.starts) return asciiStyles(normalized.text, words);
  return [...normalized.text.matchAll(STYLE)].map((m) => ({ text: m[0], start: m.index!, end: m.index! + m[0].length }));
}
