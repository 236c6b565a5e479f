import { decodeEntities } from "../text/decode-entities.js";

const CONTROL = /[\p{Cc}\u2028\u2029]/gu;
const INVISIBLE = /[\u200b\u200e\u200f\ufeff]/gu;
const SPACES = /\s+/gu;

/**
 * The canonical form of a query: HTML entities decoded (twice at most, for the double-escaped `&amp;#39;` that
 * scraped logs are full of), Unicode NFC, control characters as spaces, zero-width marks removed, whitespace
 * collapsed and trimmed.
 */
export function normalizeQuery(raw: string): string {
  return decodeEntities(raw).normalize("NFC").replace(CONTROL, " ").replace(INVISIBLE, "").replace(SPACES, " ").trim();
}

/** Exact duplicates are equal after normalisation, ignoring case. */
export function duplicateKey(normalized: string): string {
  return normalized.toLowerCase();
}
