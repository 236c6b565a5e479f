import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { hasFlags, parseQueryFlags } from "./flags.js";

describe("parseQueryFlags", () => {
  it("reads VidProM flags into typed fields and strips them from the text", () => {
    const q =
      "A butterfly in a lush garden, daylight, 4K, -gs 18 -neg &quot;no rain&quot; -ar 16:9 -seed 9876543210 -motion 2 -camera pan left";
    const p = parseQueryFlags(q);
    expect(p.text).toBe("A butterfly in a lush garden, daylight, 4K");
    expect(p.flags).toEqual({ other: {}, guidanceScale: 18, negativePrompt: "no rain", aspectRatio: "16:9", seed: 9876543210, motion: 2, camera: "pan left" });
  });

  it("accepts attached numbers, double dashes and Midjourney extras", () => {
    const p = parseQueryFlags("liquid pouring into a glass -fps24 -motion0 -gs15 --ar16:9 --v 5.2 --style raw");
    expect(p.flags).toMatchObject({ fps: 24, motion: 0, guidanceScale: 15, aspectRatio: "16:9", other: { v: "5.2", style: "raw" } });
    expect(p.text).toBe("liquid pouring into a glass");
  });

  it("keeps text between flags that is not a flag value", () => {
    const p = parseQueryFlags("a cat -ar 16:9 sitting on a mat");
    expect(p.text).toBe("a cat sitting on a mat");
    expect(p.flags.aspectRatio).toBe("16:9");
  });

  it("never reads hyphenated words, dashes or negative numbers as flags", () => {
    for (const q of ["a man in a t-shirt - blue", "A -5 degree winter day", "close-up of a well-known face", "rock-n-roll -- live"]) {
      const p = parseQueryFlags(q);
      expect(p.spans).toEqual([]);
      expect(hasFlags(p.flags)).toBe(false);
    }
  });

  it("reads negative prompts with curly quotes and multiple -neg flags", () => {
    const p = parseQueryFlags("cow -neg “UGLY, BLURRY” -neg text");
    expect(p.flags.negativePrompt).toBe("UGLY, BLURRY, text");
  });

  it("finds flags in about 16% of the real dev queries", () => {
    const queries = JSON.parse(readFileSync(new URL("../../../shared/data/queries-dev.json", import.meta.url), "utf8")) as string[];
    const share = queries.filter((q) => hasFlags(parseQueryFlags(q).flags)).length / queries.length;
    expect(share).toBeGreaterThan(0.13);
    expect(share).toBeLessThan(0.2);
  });
});
