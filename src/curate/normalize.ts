import { decodeHTML } from "entities";

const CONTROL = /[\p{Cc}\u2028\u2029]/gu;
const INVISIBLE = /[\u200b\u200e\u200f\ufeff]/gu;
const SPACES = /\s+/gu;

/**
 * The canonical form of a query: HTML entities decoded (twice at most, for the double-escaped `&amp;#39;` that
 * scraped logs are full of), Unicode NFC, control characters as spaces, zero-width marks removed, whitespace
 * collapsed and trimmed.
 */
export function normalizeQuery(raw: string): string {
  let text = raw;
  for (let pass = 0; pass < 2 && text.includes("&"); pass++) {
    const decoded = decodeHTML(text);
    if (decoded === text) break;
    text = decoded;
  }
  return text.normalize("NFC").replace(CONTROL, " ").replace(INVISIBLE, "").replace(SPACES, " ").trim();
}

/** Exact duplicates are equal after normalisation, ignoring case. */
export function duplicateKey(normalized: string): string {
  return normalized.toLowerCase();
}
