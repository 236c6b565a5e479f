import { hasCountPhrase } from "./count-phrases.js";
import type { IntentItem } from "./intent-items.js";
import { itemWords } from "./item-words.js";
import type { KeptBy } from "./lexicon/prompt-lexicon.js";
import type { PromptWords } from "./prompt-words.js";
import { oneEditApart } from "../text/one-edit.js";

export interface ItemVerdict {
  status: "kept" | "missing" | "contradicted";
  /** How a kept item was kept (the loosest relation among its words). */
  keptBy?: KeptBy;
  /** The prompt word or term that kept it, when it is not the item's own word. */
  keptAs?: string;
}

const LOOSENESS: Record<KeptBy, number> = { exact: 0, form: 1, synonym: 2, hyponym: 3 };
// What each kind of item may be kept by. Names and camera moves are kept by their own words and forms ("Paris" →
// Parisian, "zoom in" → zooms in); content and style words by synonyms and more specific terms as well.
const NAME_LIKE: ReadonlySet<KeptBy> = new Set(["form"]);
const CONTENT_LIKE: ReadonlySet<KeptBy> = new Set(["form", "synonym", "hyponym"]);
const EXACT: ItemVerdict = { status: "kept", keptBy: "exact" };
const MISSING: ItemVerdict = { status: "missing" };
/** On-screen text is compared verbatim, only runs of whitespace aside. */
const collapse = (s: string) => s.replace(/\s+/g, " ");

interface WordMatch {
  by: KeptBy;
  /** Token index of the prompt word. */
  at: number;
  word: string;
}

/** Where and how the prompt has one word of an item (its stem given), or undefined. */
function findWord(word: string, stemmed: string, p: PromptWords, allow: ReadonlySet<KeptBy>, typos: boolean): WordMatch | undefined {
  let at = p.words.indexOf(word);
  if (at >= 0) return { by: "exact", at, word };
  at = p.stems.indexOf(stemmed);
  if (at >= 0) return { by: "form", at, word: p.words[at]! };
  if (typos && stemmed.length >= 5) {
    at = p.stems.findIndex((s) => s.length >= 4 && oneEditApart(s, stemmed));
    if (at >= 0) return { by: "form", at, word: p.words[at]! };
  }
  return p.lexicon.match(word, allow);
}

/**
 * Whether a prompt keeps one intent item, and how. Numbers are strict (digits, number words or a count phrase such
 * as "a pair of"); quoted text is verbatim; `-neg` and negated items are contradicted when the prompt shows them, or
 * a synonym or more specific term, without negating it.
 */
export function keepItem(item: IntentItem, p: PromptWords): ItemVerdict {
  switch (item.kind) {
    case "number": {
      if (p.hasWord(item.text)) return EXACT;
      const other = item.stems.find((s) => p.hasForm(s));
      if (other) return { status: "kept", keptBy: "form", keptAs: other };
      const digits = item.stems.find((s) => /^\d+$/.test(s));
      return digits && hasCountPhrase(digits, p.text) ? { status: "kept", keptBy: "synonym" } : MISSING;
    }
    case "quoted":
      return hasSequence(p.words, item.stems) ? EXACT : MISSING;
    case "on-screen-text":
      return collapse(p.raw).includes(collapse(item.text)) ? EXACT : MISSING;
    case "negative":
      return showsNegative(item, p) ? { status: "contradicted" } : { status: "kept" };
  }
  // The common case, decided without re-reading the item: one word the prompt has, as is or in another inflection.
  if (item.stems.length === 1 && p.hasForm(item.stems[0]!)) {
    if (p.hasWord(item.text) || p.hasWord(item.text.toLowerCase())) return EXACT;
    const at = p.stems.indexOf(item.stems[0]!);
    if (at >= 0) return { status: "kept", keptBy: "form", keptAs: p.words[at]! };
  }
  const words = itemWords(item.text);
  if (words.length !== item.stems.length) return item.stems.every((s) => p.hasForm(s)) ? { status: "kept", keptBy: "form" } : MISSING;
  const allow = item.kind === "name" || item.kind === "camera" ? NAME_LIKE : CONTENT_LIKE;
  let loosest: WordMatch | undefined;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    if (p.hasWord(word)) continue;
    const m = findWord(word, item.stems[i]!, p, allow, true);
    if (!m) return MISSING;
    if (!loosest || LOOSENESS[m.by] > LOOSENESS[loosest.by]) loosest = m;
  }
  return loosest ? { status: "kept", keptBy: loosest.by, keptAs: loosest.word } : EXACT;
}

/** Quoted text is kept verbatim: its words, in order, next to each other ("OPEN LATE", not "late … open"). */
function hasSequence(words: readonly string[], sequence: readonly string[]): boolean {
  if (!sequence.length) return true;
  for (let at = words.indexOf(sequence[0]!); at >= 0; at = words.indexOf(sequence[0]!, at + 1)) {
    let k = 1;
    while (k < sequence.length && words[at + k] === sequence[k]) k++;
    if (k === sequence.length) return true;
  }
  return false;
}

/** A `-neg` or negated item the prompt shows (itself, a form, a synonym or a kind of it) where it does not negate it. */
function showsNegative(item: IntentItem, p: PromptWords): boolean {
  const words = itemWords(item.text);
  if (words.length !== item.stems.length) return false;
  let first = Infinity;
  for (let i = 0; i < words.length; i++) {
    const m = findWord(words[i]!, item.stems[i]!, p, CONTENT_LIKE, false);
    if (!m) return false;
    first = Math.min(first, m.at);
  }
  return !p.negatedAt(first);
}
