import { STOPWORDS } from "./word-lists.js";

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;

/** The words of an item's text that must appear in a prompt, in order; an item's `stems` are their stems. */
export const itemWords = (text: string): string[] => (text.toLowerCase().match(WORD) ?? []).filter((w) => !STOPWORDS.has(w));
