import { conceptOf } from "./word-concept.js";
import type { IntentLexicon } from "./lexicon.js";

/** How a prompt kept an item: the word itself, another form of it, a synonym, or a more specific term. */
export type KeptBy = "exact" | "form" | "synonym" | "hyponym";

/** Where in the prompt a relation was found: the token index of the (first) prompt word that carries it. */
export interface LexicalMatch {
  by: Exclude<KeptBy, "exact">;
  /** Token index in the prompt's word list (the start of a two-word term such as "golden retriever"). */
  at: number;
  /** The prompt word or term that kept the item. */
  word: string;
}

type Index = Map<number, number>;
const note = (index: Index, ids: Iterable<number>, at: number) => {
  for (const id of ids) if (!index.has(id)) index.set(id, at);
};

/**
 * The lexical view of one prompt: which lemmas, derivational forms, senses and hypernyms its words carry, and where.
 * Built on the first item the plain word match misses, so prompts that keep every item verbatim never pay for it.
 */
export class PromptLexicon {
  private readonly lemmas: Index = new Map();
  private readonly forms: Index = new Map();
  private readonly senses: Index = new Map();
  private readonly ancestors: Index = new Map();

  constructor(
    private readonly lexicon: IntentLexicon,
    private readonly words: readonly string[],
  ) {
    const seen = new Set<string>();
    const add = (term: string, at: number) => {
      if (seen.has(term)) return;
      seen.add(term);
      const c = conceptOf(lexicon, term);
      note(this.lemmas, c.lemmas, at);
      note(this.forms, c.forms, at);
      note(this.senses, c.senses, at);
      note(this.ancestors, c.ancestors, at);
    };
    for (let i = 0; i < words.length; i++) {
      add(words[i]!, i);
      // Two-word terms ("golden retriever", "ice cream") carry senses their words alone do not.
      if (i + 1 < words.length) {
        const pair = `${words[i]} ${words[i + 1]}`;
        if (!seen.has(pair) && lexicon.wordId(pair) >= 0) add(pair, i);
      }
    }
  }

  /**
   * How the prompt keeps a query word through the lexicon, strictest relation first; `undefined` when it does not.
   * A more general prompt term never keeps a specific query word: "animal" does not keep "cat".
   */
  match(queryWord: string, allow: ReadonlySet<KeptBy> = ALL): LexicalMatch | undefined {
    const c = conceptOf(this.lexicon, queryWord);
    if (allow.has("form")) {
      const at = first(this.lemmas, c.lemmas) ?? first(this.lemmas, c.forms) ?? first(this.forms, c.lemmas);
      if (at !== undefined) return this.found("form", at);
    }
    if (allow.has("synonym")) {
      const at = first(this.senses, c.senses);
      if (at !== undefined) return this.found("synonym", at);
    }
    if (allow.has("hyponym")) {
      const at = first(this.ancestors, c.senses);
      if (at !== undefined) return this.found("hyponym", at);
    }
    return undefined;
  }

  private found(by: LexicalMatch["by"], at: number): LexicalMatch {
    const pair = at + 1 < this.words.length ? `${this.words[at]} ${this.words[at + 1]}` : "";
    const word = pair && this.lexicon.wordId(pair) >= 0 ? pair : this.words[at]!;
    return { by, at, word };
  }
}

const ALL: ReadonlySet<KeptBy> = new Set(["form", "synonym", "hyponym"]);

function first(index: Index, ids: readonly number[]): number | undefined {
  let best: number | undefined;
  for (const id of ids) {
    const at = index.get(id);
    if (at !== undefined && (best === undefined || at < best)) best = at;
  }
  return best;
}
