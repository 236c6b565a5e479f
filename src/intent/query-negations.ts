import { STOPWORDS } from "./word-lists.js";

const NEGATORS = new Set(["no", "not", "without", "never", "nor"]);
// Words between the negator and what it negates: "without any cars", "no more than", "not a cat".
const DETERMINERS = new Set(["a", "an", "the", "any", "more", "single"]);
const CONTINUES = new Set(["or", "nor"]);
const ANY_NEGATOR = /\b(?:no|not|without|never|nor)\b/i;
const TOKEN = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?|[^\s\p{L}\p{N}]/gu;

/**
 * Spans of the query that it negates: "a street without cars or people", "petting animal (not cat)", "no text".
 * Such words are what the user wants kept out, not content a prompt must show. A negated phrase runs from the word
 * after "no"/"not"/"without"/"never" to the next punctuation mark or function word ("or" continues it).
 */
export function negatedSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  if (!ANY_NEGATOR.test(text)) return spans;
  let open = false;
  let skipping = false;
  for (const m of text.matchAll(TOKEN)) {
    const token = m[0].toLowerCase();
    const start = m.index!;
    if (NEGATORS.has(token)) {
      open = true;
      skipping = true;
      continue;
    }
    if (!open) continue;
    if (skipping && DETERMINERS.has(token)) continue;
    skipping = false;
    if (CONTINUES.has(token)) continue;
    if (!/[\p{L}\p{N}]/u.test(token) || STOPWORDS.has(token)) {
      open = false;
      continue;
    }
    spans.push([start, start + m[0].length]);
  }
  return spans;
}
