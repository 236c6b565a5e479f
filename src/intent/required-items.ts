import type { IntentItem } from "./intent-items.js";
import { lemmasOf } from "./lexicon/lemmatize.js";
import { getIntentLexicon, type IntentLexicon } from "./lexicon/lexicon.js";

/** Basic colour terms: a prompt that turns "a red car" into a blue one lost the user's intent. */
export const COLOURS = new Set(
  `red orange yellow green blue purple violet pink brown black white gray grey golden gold silver beige teal turquoise
   cyan magenta maroon navy crimson scarlet indigo lavender`.split(/\s+/).filter(Boolean),
);

function isNoun(lexicon: IntentLexicon, word: string): boolean {
  // Gerunds are nouns in WordNet too ("playing", "drawing"); in a short query they are the action, not the subject.
  if (word.endsWith("ing")) return false;
  return lemmasOf(lexicon, word).some((l) => (l.pos === null || l.pos === "noun") && lexicon.hasSense(l.id, "noun"));
}

/**
 * Marks, in place, the content items a prompt may not lose: the subject (the query's first noun, when no name comes
 * before it: "person" in "A person is marching") and colour words. Paraphrase still keeps them ("a young man" keeps
 * "person"); only dropping or changing them makes a prompt imprecise.
 */
export function markRequiredContent(items: IntentItem[], lexicon: IntentLexicon = getIntentLexicon()): void {
  let subjectFound = false;
  for (const item of items) {
    if (item.kind === "name" && item.start >= 0) subjectFound = true;
    if (item.kind !== "content") continue;
    const word = item.text.toLowerCase();
    if (COLOURS.has(word)) item.required = true;
    else if (!subjectFound && isNoun(lexicon, word)) {
      item.required = true;
      subjectFound = true;
    }
  }
}
