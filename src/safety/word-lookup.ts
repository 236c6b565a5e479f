import { firstTokens, singleWords, type PatternToken } from "./lexicon-patterns.js";
import { STEM_KEY, type CompiledLexicon, type LexiconPhrase } from "./safety-lexicon.js";
import { hasDoubledLetter, leetVariants, squeeze, type Token } from "../text/tokens.js";

/**
 * What the lexicon holds for one word, worked out once per distinct word: the screen then spends one map lookup on
 * a word with nothing to find (nearly every word of a real query), instead of a dozen lookups and regular
 * expressions per token.
 */
export interface WordLookup {
  /** Leetspeak readings of the word ("s3x" → sex), empty for most words. */
  leet: string[];
  /** Phrases whose match can start at this word as written (or as one of its leet readings). */
  direct: LexiconPhrase[];
  /** Per leet reading, in order: phrases that can start with it, and one-word phrases its squeezed form is. */
  leetTries: { phrases: LexiconPhrase[]; whole: LexiconPhrase[] }[];
  /** One-word phrases the word is with its repeated letters squeezed ("nakkked"). */
  repeated: LexiconPhrase[];
  /** One-word phrases a masked word fits ("p*rn"). */
  masked: LexiconPhrase[];
  /** True when none of the above can produce a hit, so the scan skips the word. */
  none: boolean;
}

export const tokenMatches = (word: string, pattern: PatternToken): boolean => (pattern.stem ? word.startsWith(pattern.text) : word === pattern.text);

function candidatesFor(word: string, lexicon: CompiledLexicon): LexiconPhrase[] {
  const exact = lexicon.exact.get(word);
  const stems = word.length >= STEM_KEY ? lexicon.stems.get(word.slice(0, STEM_KEY)) : undefined;
  if (!stems) return exact ?? [];
  return exact ? [...exact, ...stems] : stems;
}

const maskFits = (word: string, target: string) => {
  for (let i = 0; i < target.length; i++) if (word[i] !== "*" && word[i] !== target[i]) return false;
  return true;
};

/** "p*rn", "f**k": a word with asterisks matches a one-word entry (or stem) that fits its other letters. */
function maskMatches(word: string, lexicon: CompiledLexicon): LexiconPhrase[] {
  if (word.replace(/\*/g, "").length < 2) return [];
  const exact = (lexicon.byLength.get(word.length) ?? []).filter((p) => singleWords(p.segments).some((target) => target.length === word.length && maskFits(word, target)));
  const stems = lexicon.singleStems.filter(({ stem }) => word.length >= stem.length && maskFits(word, stem)).map((s) => s.phrase);
  return [...exact, ...stems];
}

/** Flag phrases that are exactly one word and match `word` (exactly or as a stem), or its squeezed form. */
export function wholeWordPhrases(word: string, lexicon: CompiledLexicon): LexiconPhrase[] {
  const direct = candidatesFor(word, lexicon).filter(
    (p) => p.kind === "flag" && p.segments.length === 1 && !p.segments[0]!.optional && p.segments[0]!.options.some((o) => o.length === 1 && tokenMatches(word, o[0]!)),
  );
  return direct.length ? direct : (lexicon.squeezed.get(squeeze(word)) ?? []);
}

function lookUp(word: string, lexicon: CompiledLexicon): WordLookup {
  const leet = leetVariants(word);
  // A phrase can only match from this word if one of the words it can start with fits the word or a leet reading:
  // the others would be tried and fail on every occurrence of the word.
  const fits = (p: LexiconPhrase) => firstTokens(p.segments).some((t) => tokenMatches(word, t) || leet.some((v) => tokenMatches(v, t)));
  const direct = candidatesFor(word, lexicon).filter(fits);
  const leetTries = leet.map((v) => ({ phrases: candidatesFor(v, lexicon).filter(fits), whole: hasDoubledLetter(v) ? (lexicon.squeezed.get(squeeze(v)) ?? []) : [] }));
  const repeated = hasDoubledLetter(word) ? (lexicon.squeezed.get(squeeze(word)) ?? []) : [];
  const masked = word.includes("*") ? maskMatches(word, lexicon) : [];
  const none = !direct.length && !repeated.length && !masked.length && leetTries.every((t) => !t.phrases.length && !t.whole.length);
  return { leet, direct, leetTries, repeated, masked, none };
}

const MAX_CACHED_WORDS = 50_000;
const BITS = 1 << 16;
const MASK = BITS - 1;
const step = (h: number, c: number) => Math.imul(h ^ c, 0x01000193) >>> 0;
const SEED = 0x811c9dc5;

/** FNV-1a over a string's UTF-16 code units (or the first `limit` of them), folded to BITS. */
function hashOf(word: string, limit = word.length): number {
  let h = SEED;
  for (let i = 0; i < limit; i++) h = step(h, word.charCodeAt(i));
  return h & MASK;
}

const setBit = (bits: Uint8Array, h: number) => (bits[h >> 3]! |= 1 << (h & 7));
const hasBit = (bits: Uint8Array, h: number) => (bits[h >> 3]! & (1 << (h & 7))) !== 0;

/** Bit sets of the lexicon's keys, by how a word reaches them: as itself, by its first STEM_KEY letters, squeezed. */
interface LexiconIndex {
  exact: Uint8Array;
  stems: Uint8Array;
  squeezed: Uint8Array;
  cache: Map<string, WordLookup>;
  /** Lookups of words of up to SHORT ASCII characters, by their character codes in base 128. */
  short: Map<number, WordLookup>;
}

const indexes = new WeakMap<CompiledLexicon, LexiconIndex>();

function indexFor(lexicon: CompiledLexicon): LexiconIndex {
  let index = indexes.get(lexicon);
  if (index) return index;
  const bitsOf = (keys: Iterable<string>) => {
    const bits = new Uint8Array(BITS / 8);
    for (const key of keys) setBit(bits, hashOf(key));
    return bits;
  };
  index = { exact: bitsOf(lexicon.exact.keys()), stems: bitsOf(lexicon.stems.keys()), squeezed: bitsOf(lexicon.squeezed.keys()), cache: new Map(), short: new Map() };
  indexes.set(lexicon, index);
  return index;
}

const NONE: WordLookup = { leet: [], direct: [], leetTries: [], repeated: [], masked: [], none: true };
// Characters that send a word to the full lookup: leetspeak and mask characters (and, below, anything not ASCII).
const SPECIAL = new Uint8Array(128);
for (const c of "0134578@$*") SPECIAL[c.charCodeAt(0)] = 1;
const isLetter = (c: number) => (c >= 97 && c <= 122) || (c >= 65 && c <= 90);

const SURELY_NONE = -1;
const BY_STRING = -2;
const SHORT = 3;

/**
 * How to look a word up, decided letter by letter without building a string. SURELY_NONE: the word cannot hold
 * anything for the lexicon (neither the word, nor its first STEM_KEY letters, nor its squeezed form is a key, by
 * their hashes, and it has no leetspeak or mask character); most words of real text end here. Otherwise a short
 * ASCII word ("a", "in", "the": first words of many patterns) gets a number that stands for it, cheaper to look up
 * than a string; anything else is looked up BY_STRING.
 */
function lookupKey(word: string, index: LexiconIndex): number {
  const n = word.length;
  let whole = SEED;
  let prefix = 0;
  let squeezed = SEED;
  let doubled = false;
  let special = false;
  let previous = -1;
  let code = 0;
  for (let i = 0; i < n; i++) {
    const c = word.charCodeAt(i);
    // Other scripts take the full lookup: `squeeze` works on their letters too, which this loop does not know.
    if (c >= 0x80) return BY_STRING;
    if (SPECIAL[c] === 1) special = true;
    code = code * 128 + c;
    whole = step(whole, c);
    if (i === STEM_KEY - 1) prefix = whole & MASK;
    if (c === previous && isLetter(c)) doubled = true;
    else squeezed = step(squeezed, c);
    previous = c;
  }
  const maybe = special || hasBit(index.exact, whole & MASK) || (n >= STEM_KEY && hasBit(index.stems, prefix)) || (doubled && hasBit(index.squeezed, squeezed & MASK));
  if (!maybe) return SURELY_NONE;
  return n <= SHORT ? code : BY_STRING;
}

/** The lexicon's entries for each token (a compiled lexicon is never changed, so lookups are kept per lexicon). */
export function lookUpWords(tokens: readonly Token[], lexicon: CompiledLexicon): WordLookup[] {
  const index = indexFor(lexicon);
  const out = new Array<WordLookup>(tokens.length);
  for (let i = 0; i < tokens.length; i++) {
    const word = tokens[i]!.text;
    const key = lookupKey(word, index);
    if (key === SURELY_NONE) {
      out[i] = NONE;
      continue;
    }
    let found = key === BY_STRING ? index.cache.get(word) : index.short.get(key);
    if (!found) {
      found = lookUp(word, lexicon);
      const cache = key === BY_STRING ? index.cache : index.short;
      if (cache.size < MAX_CACHED_WORDS) (key === BY_STRING ? index.cache.set(word, found) : index.short.set(key, found));
    }
    out[i] = found;
  }
  return out;
}
