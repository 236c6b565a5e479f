import { normalizeText, sourceSpan, type NormalizedText } from "../text/normalize.js";
import { getDefaultLexicon, UNSPACED_SCRIPT, type CompiledLexicon, type LexiconPhrase } from "./safety-lexicon.js";
import type { PatternSegment, PatternToken } from "./lexicon-patterns.js";
import { tokenize, type Token } from "../text/tokens.js";
import { lookUpWords, tokenMatches, wholeWordPhrases, type WordLookup } from "./word-lookup.js";

/** How a match hid from a plain word search, when it did. */
export type Obfuscation = "leetspeak" | "repeated-letters" | "spacing" | "masking" | "unicode";

export interface SafetyMatch {
  category: string;
  /** The lexicon entry that matched. */
  term: string;
  /** The matched text as written, `text.slice(start, end)`. */
  text: string;
  start: number;
  end: number;
  obfuscation?: Obfuscation;
  /**
   * A context match of a combination rule (the "child" of "child" + "sexy"): it flags only together with the other
   * part, so removing the other part resolves it.
   */
  context?: boolean;
}

export interface SafetyScreenResult {
  flagged: boolean;
  /** Flagged category ids, in lexicon order. */
  categories: string[];
  matches: SafetyMatch[];
}

/** The shape other modules inject: any function from text to at least the flagged categories. */
export type SafetyScreen = (text: string) => SafetyScreenResult;

interface RawHit {
  phrase: LexiconPhrase;
  /** Token range [first, last]. */
  first: number;
  last: number;
  obfuscation?: Obfuscation;
  /** Offsets in the normalised text, for a match inside a token (unspaced scripts). */
  span?: { start: number; end: number };
}

/** True when token i is the pattern word, as written or in a leetspeak reading. */
function fits(tokens: Token[], looks: WordLookup[], i: number, pattern: PatternToken): boolean {
  if (tokenMatches(tokens[i]!.text, pattern)) return true;
  for (const v of looks[i]!.leet) if (tokenMatches(v, pattern)) return true;
  return false;
}

/** Matches segments[s…] from token i; returns the index after the last matched token, or -1. */
function matchFrom(segments: PatternSegment[], s: number, tokens: Token[], looks: WordLookup[], i: number): number {
  if (s === segments.length) return i;
  const segment = segments[s]!;
  for (const option of segment.options) {
    let k = 0;
    while (k < option.length && i + k < tokens.length && fits(tokens, looks, i + k, option[k]!)) k++;
    if (k < option.length) continue;
    const end = matchFrom(segments, s + 1, tokens, looks, i + k);
    if (end >= 0) return end;
  }
  return segment.optional ? matchFrom(segments, s + 1, tokens, looks, i) : -1;
}

function tryPhrases(hits: RawHit[], phrases: LexiconPhrase[], tokens: Token[], looks: WordLookup[], i: number, obfuscation?: Obfuscation): void {
  for (const phrase of phrases) {
    const end = matchFrom(phrase.segments, 0, tokens, looks, i);
    if (end > i) hits.push(obfuscation ? { phrase, first: i, last: end - 1, obfuscation } : { phrase, first: i, last: end - 1 });
  }
}

/** One-word phrases found by a rewritten form of the word: the word is the whole match. */
function addWhole(hits: RawHit[], phrases: LexiconPhrase[], i: number, obfuscation: Obfuscation): void {
  for (const phrase of phrases) hits.push({ phrase, first: i, last: i, obfuscation });
}

function scanTokens(tokens: Token[], looks: WordLookup[]): RawHit[] {
  const hits: RawHit[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const look = looks[i]!;
    if (look.none) continue;
    const before = hits.length;
    tryPhrases(hits, look.direct, tokens, looks, i);
    if (hits.length > before) continue;
    for (const t of look.leetTries) {
      tryPhrases(hits, t.phrases, tokens, looks, i, "leetspeak");
      addWhole(hits, t.whole, i, "leetspeak");
    }
    if (hits.length > before) continue;
    addWhole(hits, look.repeated, i, "repeated-letters");
    addWhole(hits, look.masked, i, "masking");
  }
  return hits;
}

const MAX_SPACED_RUN = 40;

/**
 * "s e x", "n.u.d.e", "p-o-r-n": three or more one-letter words in a row, read as one word. Any window of the run
 * counts ("a n u d e" holds "nude"); the longest window from each start wins.
 */
function scanSpacedLetters(tokens: Token[], lexicon: CompiledLexicon): RawHit[] {
  const hits: RawHit[] = [];
  let i = 0;
  while (i < tokens.length) {
    let j = i;
    while (j < tokens.length && j - i < MAX_SPACED_RUN && tokens[j]!.text.length === 1 && (j === i || tokens[j]!.start - tokens[j - 1]!.end <= 3)) j++;
    for (let start = i; start + 3 <= j; start++) {
      for (let end = j; end - start >= 3; end--) {
        const joined = tokens.slice(start, end).map((t) => t.text).join("");
        const phrases = wholeWordPhrases(joined, lexicon);
        if (!phrases.length) continue;
        for (const phrase of phrases) hits.push({ phrase, first: start, last: end - 1, obfuscation: "spacing" });
        start = end - 1;
        break;
      }
    }
    i = Math.max(j, i + 1);
  }
  return hits;
}

/** Chinese or Japanese terms inside a token: the script has no spaces, so a token is a whole phrase. */
function scanUnspaced(tokens: Token[], lexicon: CompiledLexicon): RawHit[] {
  const hits: RawHit[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const { text, start } = tokens[i]!;
    if (!UNSPACED_SCRIPT.test(text)) continue;
    for (const { text: term, phrase } of lexicon.unspaced) {
      for (let at = text.indexOf(term); at >= 0; at = text.indexOf(term, at + term.length)) {
        hits.push({ phrase, first: i, last: i, span: { start: start + at, end: start + at + term.length } });
      }
    }
  }
  return hits;
}

function toMatch(hit: RawHit, n: NormalizedText, tokens: Token[]): SafetyMatch {
  const span = hit.span ? sourceSpan(n, hit.span.start, hit.span.end) : sourceSpan(n, tokens[hit.first]!.start, tokens[hit.last]!.end);
  const text = n.source.slice(span.start, span.end);
  let obfuscation = hit.obfuscation;
  if (!obfuscation && n.starts && text.toLowerCase() !== n.text.slice(hit.span?.start ?? tokens[hit.first]!.start, hit.span?.end ?? tokens[hit.last]!.end)) obfuscation = "unicode";
  const match: SafetyMatch = { category: hit.phrase.category, term: hit.phrase.term, text, start: span.start, end: span.end };
  if (obfuscation) match.obfuscation = obfuscation;
  return match;
}

/**
 * Screens text against the safety lexicon: Unicode-normalised, leetspeak, repeated letters, spaced-out and masked
 * words included. Returns the flagged categories and every match with its span in the original text. Phrases on the
 * allow list ("same-sex couple", "blood moon") cancel matches they overlap. No model, no I/O after the first call.
 */
export function screenSafety(text: string, lexicon: CompiledLexicon = getDefaultLexicon()): SafetyScreenResult {
  const n = normalizeText(text);
  const tokens = tokenize(n);
  const hits = scanTokens(tokens, lookUpWords(tokens, lexicon));
  for (const hit of scanSpacedLetters(tokens, lexicon)) hits.push(hit);
  if (lexicon.unspaced.length && UNSPACED_SCRIPT.test(n.text)) for (const hit of scanUnspaced(tokens, lexicon)) hits.push(hit);
  if (!hits.length) return { flagged: false, categories: [], matches: [] };
  const allows = hits.filter((h) => h.phrase.kind === "allow");
  const kept = hits.filter((h) => h.phrase.kind !== "allow" && !allows.some((a) => a.first <= h.last && h.first <= a.last));
  const flags = kept.filter((h) => h.phrase.kind === "flag");
  const matches = flags.map((h) => toMatch(h, n, tokens));
  const present = new Set(flags.map((h) => h.phrase.category));
  for (const rule of lexicon.combinations) {
    const markers = kept.filter((h) => h.phrase.kind === "marker" && h.phrase.category === rule.group);
    if (!markers.length || !rule.with.some((c) => present.has(c))) continue;
    present.add(rule.category);
    for (const m of markers) matches.push({ ...toMatch(m, n, tokens), category: rule.category, context: true });
  }
  const unique = new Map<string, SafetyMatch>();
  for (const m of matches.sort((a, b) => a.start - b.start || b.end - a.end)) unique.set(`${m.category}:${m.start}:${m.end}`, m);
  const categories = lexicon.categories.map((c) => c.id).filter((id) => present.has(id));
  return { flagged: categories.length > 0, categories, matches: [...unique.values()] };
}

/** A screen bound to one lexicon, in the `(text) => { categories }` shape other stages inject. */
export function createSafetyScreen(lexicon: CompiledLexicon = getDefaultLexicon()): SafetyScreen {
  return (text) => screenSafety(text, lexicon);
}
