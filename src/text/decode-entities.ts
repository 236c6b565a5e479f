import { decodeHTML } from "entities";

/**
 * HTML entities decoded (`&#39;`, `&quot;`, `&amp;`, …), twice at most: scraped query logs are full of the
 * double-escaped `&amp;#39;`, and a third level is more likely literal text than escaping.
 */
export function decodeEntities(text: string): string {
  let out = text;
  for (let pass = 0; pass < 2 && out.includes("&"); pass++) {
    const decoded = decodeHTML(out);
    if (decoded === out) break;
    out = decoded;
  }
  return out;
}
