import { normalizeText } from "../text/normalize.js";
import { stem } from "./stem.js";
import { getIntentLexicon } from "./lexicon/lexicon.js";
import { PromptLexicon } from "./lexicon/prompt-lexicon.js";

const WORD = /[\p{L}\p{N}]+/gu;
const NEGATION = new Set(["no", "not", "without", "never", "free", "none", "nor", "avoid", "avoiding", "lacking"]);

/** A prompt as the intent check reads it: its words and their stems, and (on demand) its lexical view. */
export class PromptWords {
  /** The prompt as given (on-screen text is compared against it verbatim). */
  readonly raw: string;
  /** Lower-case normalised text. */
  readonly text: string;
  readonly words: string[];
  readonly stems: string[];
  private lexical: PromptLexicon | undefined;

  constructor(prompt: string) {
    this.raw = prompt;
    this.text = normalizeText(prompt).text;
    this.words = this.text.match(WORD) ?? [];
    this.stems = new Array<string>(this.words.length);
    for (let i = 0; i < this.words.length; i++) this.stems[i] = stem(this.words[i]!);
  }

  // A prompt has a few dozen words and an item asks about a few of them: scanning the arrays is quicker than
  // building sets that most words are never looked up in.
  /** True when the prompt has this word as written (lower case). */
  hasWord(word: string): boolean {
    return this.words.includes(word);
  }

  /** True when the prompt has this word or stem, as a word or as the stem of one. */
  hasForm(stemmed: string): boolean {
    return this.stems.includes(stemmed) || this.words.includes(stemmed);
  }

  /** The lexicon's view of the prompt, built the first time an item needs more than the words themselves. */
  get lexicon(): PromptLexicon {
    this.lexical ??= new PromptLexicon(getIntentLexicon(), this.words);
    return this.lexical;
  }

  /** True when one of the three words before token `i` negates it ("no text", "without any blur"). */
  negatedAt(i: number): boolean {
    for (let k = Math.max(0, i - 3); k < i; k++) if (NEGATION.has(this.stems[k]!)) return true;
    return false;
  }
}
