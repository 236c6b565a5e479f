import { normalizeText } from "../text/normalize.js";
import { tokenizePlain } from "../text/tokens.js";

/** One word of a lexicon phrase: an exact word, or a stem ("masturbat*") matching any word it starts. */
export interface PatternToken {
  text: string;
  stem: boolean;
}

/** One position of a pattern: alternatives (each a word sequence), possibly optional. */
export interface PatternSegment {
  options: PatternToken[][];
  optional: boolean;
}

// Terms go through the same normalisation as screened text (diacritics, Cyrillic look-alikes), or a Russian or
// accented term could never match.
const toPatternTokens = (text: string): PatternToken[] =>
  tokenizePlain(normalizeText(text).text).map((t) => (t.length > 1 && t.endsWith("*") ? { text: t.slice(0, -1), stem: true } : { text: t, stem: false }));

/**
 * Parses a lexicon pattern. Syntax, space-separated segments: `word`, `stem*`, `(alt one|alt two)`, `@group` (any
 * entry of a group, itself a pattern), each optionally followed by `?`. Example: `(shoot|shooting) (at)? @person`
 * matches "shoot man", "shooting at a woman", … Alternatives are whole words (`breast(s)` is not a suffix group:
 * write `(breast|breasts)`).
 */
export function parsePattern(pattern: string, groups: Record<string, string[]>, seen: string[] = []): PatternSegment[] {
  const segments: PatternSegment[] = [];
  const src = pattern.trim();
  let i = 0;
  while (i < src.length) {
    if (src[i] === " ") {
      i++;
      continue;
    }
    let options: PatternToken[][];
    if (src[i] === "(") {
      const close = src.indexOf(")", i);
      if (close < 0) throw new Error(`unclosed "(" in pattern "${pattern}"`);
      options = src.slice(i + 1, close).split("|").map(toPatternTokens);
      i = close + 1;
    } else {
      let end = i;
      while (end < src.length && src[end] !== " " && src[end] !== "?") end++;
      const word = src.slice(i, end);
      i = end;
      if (word.startsWith("@")) {
        const name = word.slice(1);
        const group = groups[name];
        if (!group) throw new Error(`unknown group "${word}" in pattern "${pattern}"`);
        if (seen.includes(name)) throw new Error(`group "${word}" refers to itself`);
        options = group.flatMap((entry) => expandSimple(parsePattern(entry, groups, [...seen, name])));
      } else options = [toPatternTokens(word)];
    }
    const optional = src[i] === "?";
    if (optional) i++;
    if (i < src.length && src[i] !== " ") throw new Error(`unexpected "${src[i]}" in pattern "${pattern}"`);
    if (options.some((o) => o.length === 0)) throw new Error(`empty alternative in pattern "${pattern}"`);
    segments.push({ options, optional });
  }
  if (!segments.length) throw new Error("empty pattern");
  if (segments.every((s) => s.optional)) throw new Error(`pattern "${pattern}" can match nothing`);
  return segments;
}

/** Group entries are short: expand one into its word sequences so it can stand as alternatives of a segment. */
function expandSimple(segments: PatternSegment[]): PatternToken[][] {
  let out: PatternToken[][] = [[]];
  for (const s of segments) {
    const next: PatternToken[][] = [];
    for (const prefix of out) {
      for (const option of s.options) next.push([...prefix, ...option]);
      if (s.optional) next.push(prefix);
    }
    out = next;
  }
  return out.filter((o) => o.length > 0);
}

/** The words a match of the pattern can start with. */
export function firstTokens(segments: PatternSegment[]): PatternToken[] {
  const out: PatternToken[] = [];
  for (const s of segments) {
    for (const o of s.options) out.push(o[0]!);
    if (!s.optional) break;
  }
  return out;
}

/** The one word a single-word pattern stands for ("naked"), if it is one: used for squeezed and masked lookups. */
export function singleWords(segments: PatternSegment[]): string[] {
  if (segments.length !== 1 || segments[0]!.optional) return [];
  return segments[0]!.options.filter((o) => o.length === 1 && !o[0]!.stem).map((o) => o[0]!.text);
}
