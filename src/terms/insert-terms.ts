import type { ProtectedTerm } from "./protected-terms.js";

const TAG_SOURCES = new Set<ProtectedTerm["source"]>(["lora", "embedding", "style-tag"]);

/** A tail of trigger tags only (`<lora:x:0.8> (grain:1.2)`): inserted sentences go before it. */
const ONLY_TAGS = /^(?:(?:<[^<>]+>|\([^()]*:\s*\d+(?:\.\d+)?\)|embedding:\S+)\s*)+$/;

/** The words that put a term back into a prompt: a trigger tag as itself, text as a sentence of its own. */
function sentenceFor(term: ProtectedTerm): string {
  if (term.source === "on-screen-text") return `On-screen text reads "${term.text}".`;
  if (term.source === "quoted") return `It shows "${term.text}".`;
  return `Featuring ${term.text}.`;
}

/** The prompt up to its last finished sentence, and whatever follows (a tail cut off at the token limit). */
function lastSentenceEnd(prompt: string): number {
  const ends = [...prompt.matchAll(/[.!?。！？]["'”’)\]」』]*(?=\s|$)/gu)];
  const last = ends.at(-1);
  return last ? last.index! + last[0].length : -1;
}

/**
 * The last resort for terms a model would not keep: each is put back at a sentence boundary, never inside a word.
 * Text goes in as a sentence after the last finished sentence; trigger tags (LoRA, embeddings, weighted tags) go at
 * the very end, where A1111 and ComfyUI users write them. An unfinished tail is closed with a full stop first.
 */
export function insertTerms(prompt: string, terms: readonly ProtectedTerm[]): string {
  if (!terms.length) return prompt;
  // A --keep term written as a tag ("<lora:x:0.8>") goes where tags go.
  const isTag = (t: ProtectedTerm) => TAG_SOURCES.has(t.source) || ONLY_TAGS.test(t.text);
  const tags = terms.filter(isTag).map((t) => t.text);
  const sentences = terms.filter((t) => !isTag(t)).map(sentenceFor);
  let out = prompt.trim();
  if (sentences.length) {
    const end = lastSentenceEnd(out);
    const head = end < 0 ? `${out}${out && !/[.!?。！？]$/u.test(out) ? "." : ""}` : out.slice(0, end);
    const tail = end < 0 ? "" : out.slice(end).trim();
    if (ONLY_TAGS.test(tail)) {
      out = `${head} ${sentences.join(" ")} ${tail}`.trim();
    } else {
      // A cut-off tail ("… with warm") ends as a sentence of its own, after which the inserted ones follow.
      const closedTail = tail ? ` ${tail.replace(/[\s,;:]+$/, "")}.` : "";
      out = `${head}${closedTail} ${sentences.join(" ")}`.trim();
    }
  }
  if (tags.length) out = `${out} ${tags.join(" ")}`.trim();
  return out;
}
