import { describe, expect, it } from "vitest";
import { duplicateKey, normalizeQuery } from "./normalize.js";

describe("normalizeQuery", () => {
  it("decodes HTML entities (also double-escaped), applies NFC and collapses whitespace", () => {
    expect(normalizeQuery("Tom &amp; Jerry&#39;s  \n chase")).toBe("Tom & Jerry's chase");
    expect(normalizeQuery("a &amp;quot;quoted&amp;quot; word")).toBe('a "quoted" word');
    expect(normalizeQuery("cafe\u0301\u200b au\tlait ")).toBe("café au lait");
    expect(normalizeQuery("line\u0000break\u2028here")).toBe("line break here");
  });

  it("makes case-insensitive duplicates equal", () => {
    expect(duplicateKey(normalizeQuery("A Cat  Playing &amp; piano"))).toBe(duplicateKey(normalizeQuery("a cat playing & PIANO")));
  });
});
