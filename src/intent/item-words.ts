import { normalizeText } from "../text/normalize.js";
import { STOPWORDS } from "./word-lists.js";

const WORD = /[\p{L}\p{N}]+/gu;
const ASCII = /^[\x00-\x7F]*$/;
const ASCII_WORD = /[a-z0-9]+/g;

/**
 * An item's words as a prompt's words are read: normalised ("vídeo" → video) and split at apostrophes ("man's" →
 * man, s), so a prompt that repeats the query matches it word for word.
 */
export const textWords = (text: string): string[] =>
  (ASCII.test(text) ? text.toLowerCase().match(ASCII_WORD) : normalizeText(text).text.match(WORD)) ?? [];

/** The words of an item's text that must appear in a prompt, in order; an item's `stems` are their stems. */
export const itemWords = (text: string): string[] => textWords(text).filter((w) => !STOPWORDS.has(w));
