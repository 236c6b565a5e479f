import type { IntentLexicon, PartOfSpeech } from "./lexicon.js";

// WordNet's "morphy" detachment rules (wn morph(7WN)), plus undoubling ("running" → runn → run), which WordNet
// leaves to its exception lists.
const RULES: [PartOfSpeech, string, string][] = [
  ["noun", "s", ""], ["noun", "ses", "s"], ["noun", "xes", "x"], ["noun", "zes", "z"], ["noun", "ches", "ch"],
  ["noun", "shes", "sh"], ["noun", "men", "man"], ["noun", "ies", "y"],
  ["verb", "s", ""], ["verb", "ies", "y"], ["verb", "es", "e"], ["verb", "es", ""], ["verb", "ed", "e"], ["verb", "ed", ""],
  ["verb", "ing", "e"], ["verb", "ing", ""],
  ["adjective", "er", ""], ["adjective", "est", ""], ["adjective", "er", "e"], ["adjective", "est", "e"],
];
const DOUBLED = /([b-df-hj-np-tv-z])\1$/;

/** A lemma of a word: its id, and the part of speech the detachment that found it implies (null: any). */
export interface Lemma {
  id: number;
  pos: PartOfSpeech | null;
}

const caches = new WeakMap<IntentLexicon, Map<string, readonly Lemma[]>>();
const NONE: readonly Lemma[] = [];

/**
 * The lexicon's lemmas of a lower-case word: itself when WordNet lists it, the lemmas of an irregular form ("mice" →
 * mouse), and the regular detachments that WordNet lists in the matching part of speech ("marches" → march,
 * "sipping" → sip, "happier" → happy). A detachment only yields senses of its part of speech: "petting" is the verb
 * "pet", not the animal. Empty for words WordNet does not know.
 */
export function lemmasOf(lexicon: IntentLexicon, word: string): readonly Lemma[] {
  let cache = caches.get(lexicon);
  if (!cache) caches.set(lexicon, (cache = new Map()));
  const hit = cache.get(word);
  if (hit) return hit;
  const out = new Map<string, Lemma>();
  const put = (id: number, pos: PartOfSpeech | null) => out.set(`${id}:${pos}`, { id, pos });
  const self = lexicon.wordId(word);
  if (self >= 0) put(self, null);
  for (const { id, pos } of lexicon.exceptionLemmas(word)) put(id, pos);
  if (word.length > 3) {
    for (const [pos, suffix, replacement] of RULES) {
      if (!word.endsWith(suffix) || word.length - suffix.length < 2) continue;
      const base = word.slice(0, -suffix.length);
      for (const candidate of DOUBLED.test(base) && replacement === "" ? [base + replacement, base.slice(0, -1)] : [base + replacement]) {
        const id = lexicon.wordId(candidate);
        if (id >= 0 && id !== self && lexicon.listedAs(id, pos)) put(id, pos);
      }
    }
  }
  const lemmas = out.size ? [...out.values()] : NONE;
  if (cache.size < 50_000) cache.set(word, lemmas);
  return lemmas;
}
