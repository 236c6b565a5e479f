import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { bleuFromCounts, bleuUpperBound } from "./bleu.js";
import { naiveSelfBleu } from "./naive.js";
import { OverlapBounds } from "./overlap-bounds.js";
import { selfBleuFilterTexts } from "./self-bleu-filter.js";
import { SelfBleuIndex } from "./self-bleu-index.js";
import { TokenCorpus } from "./token-corpus.js";
import { tokenize } from "./tokenize.js";
import { seededRandom as rng } from "../util/random.js";

const devQueries = JSON.parse(readFileSync(new URL("../../../shared/data/queries-dev.json", import.meta.url), "utf8")) as string[];

/** Dev queries plus the near-duplicates a prompt log is full of: re-submissions, edits, added tags and flags. */
function withNearDuplicates(queries: string[], seed: number): string[] {
  const random = rng(seed);
  const out: string[] = [];
  for (const q of queries) {
    out.push(q);
    const words = q.split(" ");
    const r = random();
    if (r < 0.15) out.push(q);
    else if (r < 0.3) out.push(`${q}, cinematic, 4k, highly detailed`);
    else if (r < 0.45 && words.length > 3) out.push(words.filter((_, i) => i !== Math.floor(random() * words.length)).join(" "));
    else if (r < 0.55) out.push(`${q} -ar 16:9 -motion 2`);
  }
  return out;
}

function expectSameDecisions(texts: string[], threshold: number, indexed: Awaited<ReturnType<typeof selfBleuFilterTexts>>): void {
  const naive = naiveSelfBleu(texts, threshold);
  expect(indexed.kept).toBe(naive.kept);
  expect(Array.from(indexed.similarTo)).toEqual(Array.from(naive.similarTo));
  expect(Array.from(indexed.bleu)).toEqual(Array.from(naive.bleu));
}

describe("tokenize", () => {
  it("splits on anything but letters and digits, lower-casing each token", () => {
    expect(tokenize("A Cat's 3D-piano, 16:9 — ÉTÉ naïve")).toEqual(["a", "cat", "s", "3d", "piano", "16", "9", "été", "naïve"]);
    expect(tokenize("İstanbul")).toEqual(["i̇stanbul"]);
    expect(tokenize("!!! ---")).toEqual([]);
    expect(tokenize("日本の猫")).toEqual(["日本の猫"]);
  });
});

describe("bleuFromCounts", () => {
  it("follows the issue's definition", () => {
    expect(bleuFromCounts(5, 5, 5, 4, 3, 2)).toBe(1);
    expect(bleuFromCounts(4, 6, 0, 0, 0, 0)).toBe(0);
    // c = "a cat on piano" vs r = "a cat playing a grand piano": m = 3,1,0,0; L = 4 < R = 6.
    const expected = Math.exp(1 - 6 / 4) * ((3 / 4) * (2 / 4) * (1 / 3) * (1 / 2)) ** 0.25;
    expect(bleuFromCounts(4, 6, 3, 1, 0, 0)).toBeCloseTo(expected, 15);
    expect(bleuFromCounts(1, 1, 1, 0, 0, 0)).toBe(1);
  });

  it("is bounded above by bleuUpperBound for every pair of real queries", () => {
    const sample = devQueries.slice(0, 120).map(tokenize);
    for (const c of sample)
      for (const r of sample) {
        const grams = (t: string[], n: number) => t.slice(0, Math.max(t.length - n + 1, 0)).map((_, i) => t.slice(i, i + n).join(" "));
        const m = [1, 2, 3, 4].map((n) => {
          const ref = grams(r, n);
          let hits = 0;
          for (const g of grams(c, n)) {
            const at = ref.indexOf(g);
            if (at >= 0) {
              ref.splice(at, 1);
              hits++;
            }
          }
          return hits;
        });
        const bleu = bleuFromCounts(c.length, r.length, m[0]!, m[1]!, m[2]!, m[3]!);
        expect(m[1]!).toBeLessThanOrEqual(m[0]!);
        expect(bleuUpperBound(c.length, r.length, m[0]!)).toBeGreaterThanOrEqual(bleu);
        expect(bleuUpperBound(c.length, r.length, m[0]!, m[1]!)).toBeGreaterThanOrEqual(bleu);
      }
  });
});

describe("OverlapBounds", () => {
  it("rules out lengths the brevity penalty alone keeps below τ", () => {
    const bounds = new OverlapBounds(0.6);
    const w = bounds.forCandidate(20);
    // exp(1 − R/20) ≥ 0.6 ⇔ R ≤ 30.2
    expect(w.maxReference).toBe(30);
    expect(w.minReference).toBeGreaterThan(8);
    expect(w.bigramProbe).toBeLessThan(12);
    expect(bounds.referencePlan(20)).toEqual({ level: 2, prefix: expect.any(Number) });
    expect(bounds.referencePlan(20).prefix).toBeLessThan(12);
    // "cat dog" vs "dog cat": BLEU 0.84 without a shared bigram, so short queries are indexed by unigrams.
    expect(bounds.referencePlan(2).level).toBe(1);
  });
});

describe("indexed self-BLEU filter equals the naive definition", () => {
  for (const threshold of [0.4, 0.6]) {
    it(`on dev queries with near-duplicates at τ = ${threshold}`, async () => {
      const texts = withNearDuplicates(devQueries.slice(3000, 4200), 7);
      const indexed = await selfBleuFilterTexts(texts, threshold);
      expect(indexed.kept).toBeLessThan(texts.length);
      expectSameDecisions(texts, threshold, indexed);
    });
  }

  it("on random token soups with heavy repetition (multiset clipping) at several τ", async () => {
    const random = rng(11);
    for (const [size, words, maxLength] of [
      [400, 5, 12],
      [500, 12, 30],
    ] as const) {
      const vocabulary = Array.from({ length: words }, (_, i) => `w${i}`);
      const texts = Array.from({ length: size }, () =>
        Array.from({ length: 1 + Math.floor(random() * maxLength) }, () => vocabulary[Math.floor(random() * vocabulary.length)]).join(" "),
      );
      for (const threshold of [0.25, 0.4, 0.6, 0.75, 0.9, 1]) expectSameDecisions(texts, threshold, await selfBleuFilterTexts(texts, threshold));
    }
  });

  it("with bigram hash collisions everywhere (16 slots): collisions only add candidates", () => {
    const texts = withNearDuplicates(devQueries.slice(500, 1100), 3);
    const corpus = new TokenCorpus();
    for (const text of texts) corpus.add(text);
    for (const threshold of [0.4, 0.6]) {
      const index = new SelfBleuIndex(corpus, threshold, 16);
      const similarTo = texts.map((_, doc) => {
        const similar = index.findSimilar(doc);
        if (!similar) index.add(doc);
        return similar?.similarTo ?? -1;
      });
      expect(similarTo).toEqual(Array.from(naiveSelfBleu(texts, threshold).similarTo));
    }
  });

  it("on non-ASCII queries", async () => {
    const texts = devQueries.filter((q) => /[^\x00-\x7f]/.test(q));
    expect(texts.length).toBeGreaterThan(100);
    expectSameDecisions(texts, 0.6, await selfBleuFilterTexts(texts, 0.6));
  });

  it("rejects a threshold outside (0, 1]", async () => {
    await expect(selfBleuFilterTexts(["a"], 0)).rejects.toThrow(/\(0, 1\]/);
    await expect(selfBleuFilterTexts(["a"], 1.5)).rejects.toThrow(/\(0, 1\]/);
  });
});
