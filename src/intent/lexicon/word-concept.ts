import { lemmasOf } from "./lemmatize.js";
import type { IntentLexicon } from "./lexicon.js";

/** What the lexicon knows about one lower-case word, computed once per word. */
export interface WordConcept {
  /** The word's lemmas ("marches" → march). */
  lemmas: readonly number[];
  /** Derivational relatives of the lemmas ("laugh" → laughter, "skydive" → skydiver, "surrealism" → surreal). */
  forms: readonly number[];
  /** Common senses of the lemmas (synsets). */
  senses: readonly number[];
  /** Every hypernym of those senses, transitively ("man" → male, person, organism, …). */
  ancestors: readonly number[];
}

// "-ism" words whose adjective WordNet lists without a link to them: "surrealism" → surreal, "cubism" → cubist.
const ISM = /(?:ism|isms|ist|ists|istic)$/;
const ISM_FAMILY = ["", "ism", "ist", "istic", "ic"];

const caches = new WeakMap<IntentLexicon, Map<string, WordConcept>>();

export function conceptOf(lexicon: IntentLexicon, word: string): WordConcept {
  let cache = caches.get(lexicon);
  if (!cache) caches.set(lexicon, (cache = new Map()));
  const hit = cache.get(word);
  if (hit) return hit;
  const lemmas = lemmasOf(lexicon, word);
  const forms = new Set<number>();
  const senses = new Set<number>();
  for (const { id, pos } of lemmas) {
    for (const f of lexicon.forms(id)) forms.add(f);
    for (const s of lexicon.senses(id)) if (pos === null || lexicon.partOfSpeech(s) === pos) senses.add(s);
  }
  if (word.length >= 7 && ISM.test(word)) {
    const root = word.replace(ISM, "");
    for (const suffix of ISM_FAMILY) {
      const id = lexicon.wordId(root + suffix);
      if (id >= 0 && !lemmas.some((l) => l.id === id)) forms.add(id);
    }
  }
  const ancestors = new Set<number>();
  const stack = [...senses];
  while (stack.length) {
    for (const h of lexicon.hypernyms(stack.pop()!)) {
      if (ancestors.has(h)) continue;
      ancestors.add(h);
      stack.push(h);
    }
  }
  const concept: WordConcept = { lemmas: [...new Set(lemmas.map((l) => l.id))], forms: [...forms], senses: [...senses], ancestors: [...ancestors] };
  if (cache.size < 50_000) cache.set(word, concept);
  return concept;
}
