import { lemmasOf } from "./lexicon/lemmatize.js";
import { getIntentLexicon, type IntentLexicon } from "./lexicon/lexicon.js";

/** Basic colour terms: a prompt that turns "a red car" into a blue one lost the user's intent. */
export const COLOURS = new Set(
  `red orange yellow green blue purple violet pink brown black white gray grey golden gold silver beige teal turquoise
   cyan magenta maroon navy crimson scarlet indigo lavender`.split(/\s+/).filter(Boolean),
);

// Nouns that frame the scene rather than name its subject ("photograph of swans", "video of a cat"): the subject is
// what comes after them; a rewrite that shows the swans without the word "photograph" kept the intent.
const FRAMING = new Set("photograph photo picture image video footage clip shot film movie view closeup scene".split(" "));

const nouns = new Map<string, boolean>();

function isNoun(lexicon: IntentLexicon, word: string): boolean {
  let hit = nouns.get(word);
  if (hit !== undefined) return hit;
  // Gerunds are nouns in WordNet too ("playing", "drawing"); in a short query they are the action, not the subject.
  hit = !word.endsWith("ing") && lemmasOf(lexicon, word).some((l) => (l.pos === null || l.pos === "noun") && lexicon.hasSense(l.id, "noun"));
  if (nouns.size < 50_000) nouns.set(word, hit);
  return hit;
}

/**
 * Decides, word by word in query order, which content words a prompt may not lose: the subject (the query's first
 * noun, when no name comes before it: "person" in "A person is marching") and colour words. Paraphrase still keeps
 * them ("a young man" keeps "person"); only dropping or changing them makes a prompt imprecise.
 */
export class RequiredContent {
  private subjectFound = false;
  private lexicon: IntentLexicon | undefined;

  /** A name came first ("Gwen Stacy reading a book"): it is the subject, and names are required already. */
  name(): void {
    this.subjectFound = true;
  }

  /** Whether the next content word (lower case) is required. */
  content(word: string): boolean {
    if (COLOURS.has(word)) return true;
    if (this.subjectFound || FRAMING.has(word) || !isNoun((this.lexicon ??= getIntentLexicon()), word)) return false;
    this.subjectFound = true;
    return true;
  }
}
