/**
 * Text normalisation for the deterministic checks: lower case, compatibility forms (fullwidth, math alphabets,
 * ligatures), diacritics removed, Cyrillic/Greek look-alikes mapped to Latin, zero-width characters dropped.
 * Every normalised character remembers where it came from, so matches map back to spans of the original text.
 */
export interface NormalizedText {
  /** The original text. */
  source: string;
  /** Normalised text; `null` maps mean it is the ASCII lower-casing of `source`, index for index. */
  text: string;
  /** For each character of `text`: the start of its source character (undefined when identity). */
  starts: Int32Array | null;
  /** For each character of `text`: the end (exclusive) of its source character. */
  ends: Int32Array | null;
}

// Characters that only serve to hide a word ("na\u200Bked"): removed outright, so the word reassembles.
const INVISIBLE = /^[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0]$/;
const MARKS = /\p{M}/gu;

// Cyrillic and Greek letters that render like Latin ones; NFKD leaves them alone.
const CONFUSABLES: Record<string, string> = {
  а: "a", в: "b", е: "e", ё: "e", з: "3", к: "k", м: "m", н: "h", о: "o", р: "p", с: "c", т: "t", у: "y", х: "x",
  і: "i", ї: "i", ј: "j", ѕ: "s", ԁ: "d", ԛ: "q", ԝ: "w", ɡ: "g", ı: "i", ȷ: "j",
  α: "a", β: "b", ε: "e", η: "n", ι: "i", κ: "k", ν: "v", ο: "o", ρ: "p", τ: "t", υ: "u", χ: "x", ω: "w", ς: "s",
};

const cache = new Map<number, string>();

/** The normalised form of one non-ASCII code point (possibly empty, possibly several characters). */
function foldCodePoint(cp: number, char: string): string {
  const hit = cache.get(cp);
  if (hit !== undefined) return hit;
  let out: string;
  if (INVISIBLE.test(char)) out = "";
  else {
    out = char.normalize("NFKD").replace(MARKS, "").toLowerCase();
    out = [...out].map((c) => CONFUSABLES[c] ?? c).join("");
  }
  if (cache.size < 20_000) cache.set(cp, out);
  return out;
}

const ASCII = /^[\x00-\x7F]*$/;

// The checks read one text several times in a row (the screen, then the intent check, of the same prompt): the last
// result is kept. Results are never changed by their readers.
let last: NormalizedText | undefined;

export function normalizeText(source: string): NormalizedText {
  if (last?.source === source) return last;
  last = normalizeUncached(source);
  return last;
}

function normalizeUncached(source: string): NormalizedText {
  if (ASCII.test(source)) return { source, text: source.toLowerCase(), starts: null, ends: null };
  const parts: string[] = [];
  const starts: number[] = [];
  const ends: number[] = [];
  for (let i = 0; i < source.length; ) {
    const cp = source.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const char = source.slice(i, i + width);
    const folded = cp < 0x80 ? char.toLowerCase() : foldCodePoint(cp, char);
    for (let k = 0; k < folded.length; k++) {
      starts.push(i);
      ends.push(i + width);
    }
    parts.push(folded);
    i += width;
  }
  return { source, text: parts.join(""), starts: Int32Array.from(starts), ends: Int32Array.from(ends) };
}

/** The span of `source` that normalised characters [start, end) came from. */
export function sourceSpan(n: NormalizedText, start: number, end: number): { start: number; end: number } {
  if (!n.starts || !n.ends) return { start, end };
  return { start: n.starts[start]!, end: n.ends[end - 1]! };
}
