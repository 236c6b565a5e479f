import type { ProtectedTerm } from "./protected-terms.js";

const TAG_SOURCES = new Set<ProtectedTerm["source"]>(["lora", "embedding", "style-tag"]);

/** A tail of trigger tags only (`<lora:x:0.8> (grain:1.2)`): inserted sentences go before it. */
const ONLY_TAGS = /^(?:(?:<[^<>]+>|\([^()]*:\s*\d+(?:\.\d+)?\)|embedding:\S+)\s*)+$/;

/** The words that put a term back into a prompt, as a sentence of its own in the prompt's language. */
const SENTENCES: Record<string, Record<"on-screen-text" | "quoted" | "other", (text: string) => string>> = {
  en: { "on-screen-text": (t) => `On-screen text reads "${t}".`, quoted: (t) => `It shows "${t}".`, other: (t) => `Featuring ${t}.` },
  zh: { "on-screen-text": (t) => `画面上的文字为“${t}”。`, quoted: (t) => `画面中出现“${t}”。`, other: (t) => `画面包含${t}。` },
};

function sentenceFor(term: ProtectedTerm, language: string): string {
  const forms = SENTENCES[language] ?? SENTENCES.en!;
  return term.source === "on-screen-text" || term.source === "quoted" ? forms[term.source](term.text) : forms.other(term.text);
}

/** The prompt up to its last finished sentence, and whatever follows (a tail cut off at the token limit). */
function lastSentenceEnd(prompt: string): number {
  // A Latin full stop ends a sentence before a space (not in "0.8" or "e.g"); a CJK one ends it wherever it stands.
  const ends = [...prompt.matchAll(/[.!?]["'”’)\]」』]*(?=\s|$)|[。！？]["'”’)\]」』]*/gu)];
  const last = ends.at(-1);
  return last ? last.index! + last[0].length : -1;
}

/**
 * The last resort for terms a model would not keep: each is put back at a sentence boundary, never inside a word.
 * Text goes in as a sentence after the last finished sentence; trigger tags (LoRA, embeddings, weighted tags) go at
 * the very end, where A1111 and ComfyUI users write them. An unfinished tail is closed with a full stop first.
 * Sentences are English, or Chinese for `language` "zh" (the other languages get the English ones).
 */
export function insertTerms(prompt: string, terms: readonly ProtectedTerm[], language = "en"): string {
  if (!terms.length) return prompt;
  // A --keep term written as a tag ("<lora:x:0.8>") goes where tags go.
  const isTag = (t: ProtectedTerm) => TAG_SOURCES.has(t.source) || ONLY_TAGS.test(t.text);
  const tags = terms.filter(isTag).map((t) => t.text);
  const sentences = terms.filter((t) => !isTag(t)).map((t) => sentenceFor(t, language));
  let out = prompt.trim();
  if (sentences.length) {
    // Chinese sentences end in "。" and follow each other without a space.
    const [stop, gap] = language === "zh" ? ["。", ""] : [".", " "];
    const end = lastSentenceEnd(out);
    const head = end < 0 ? `${out}${out && !/[.!?。！？]$/u.test(out) ? stop : ""}` : out.slice(0, end);
    const tail = end < 0 ? "" : out.slice(end).trim();
    if (ONLY_TAGS.test(tail)) {
      out = `${head}${gap}${sentences.join(gap)} ${tail}`.trim();
    } else {
      // A cut-off tail ("… with warm") ends as a sentence of its own, after which the inserted ones follow.
      const closedTail = tail ? `${gap || (/^\p{Script=Han}/u.test(tail) ? "" : " ")}${tail.replace(/[\s,;:，、]+$/u, "")}${stop}` : "";
      out = `${head}${closedTail}${gap}${sentences.join(gap)}`.trim();
    }
  }
  if (tags.length) out = `${out} ${tags.join(" ")}`.trim();
  return out;
}
