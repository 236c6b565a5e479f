import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { VpoError } from "../../errors.js";
import { checkIntent } from "../check-intent.js";
import { lemmasOf } from "./lemmatize.js";
import { DEFAULT_INTENT_LEXICON_PATH, getIntentLexicon, loadIntentLexicon } from "./lexicon.js";

const wink = createRequire(import.meta.url)("wink-lemmatizer") as Record<"noun" | "verb" | "adjective", (w: string) => string>;

describe("the intent lexicon", () => {
  it("ships compact (gzipped, about a megabyte) with WordNet's licence inside", () => {
    expect(statSync(DEFAULT_INTENT_LEXICON_PATH).size).toBeLessThan(2_000_000);
    const lexicon = getIntentLexicon();
    expect(lexicon.size).toBeGreaterThan(100_000);
    expect(lexicon.licence).toContain("Princeton University");
    expect(lexicon.source).toMatch(/WordNet 3\.1/);
  });

  it("lemmatizes every word of VBench's rewrites at least as wink-lemmatizer does", () => {
    const lexicon = getIntentLexicon();
    const dir = new URL("../../../../shared/data/vbench/", import.meta.url);
    const words = new Set(["human_action", "scene", "multiple_objects", "appearance_style"].flatMap((d) => readFileSync(new URL(`${d}_longer.txt`, dir), "utf8").toLowerCase().match(/[a-z]+/g)!));
    const disagree: string[] = [];
    for (const word of words) {
      const ours = new Set(lemmasOf(lexicon, word).map((l) => lexicon.word(l.id)));
      const theirs = [wink.noun(word), wink.verb(word), wink.adjective(word)].filter((l) => l !== word || lexicon.wordId(word) >= 0);
      if (!theirs.every((l) => ours.has(l))) disagree.push(`${word}: ${[...ours]} vs ${theirs}`);
    }
    expect(words.size).toBeGreaterThan(3000);
    expect(disagree).toEqual([]);
  });

  it("knows only a word's common senses: a cat is no person, a star no celebrity", () => {
    expect(checkIntent("a person", "A cat sleeps on the sofa.").requiredMissing).toEqual(["person"]);
    expect(checkIntent("a person", "Stars shine over the desert.").requiredMissing).toEqual(["person"]);
    expect(checkIntent("a person", "A fisherman mends a net.").passed).toBe(true);
  });

  it("refuses a file that is not a vpo intent lexicon, saying which", () => {
    const dir = mkdtempSync(join(tmpdir(), "vpo-lexicon-"));
    const notGzip = join(dir, "plain.json.gz");
    writeFileSync(notGzip, "{}");
    const wrongShape = join(dir, "shape.json.gz");
    writeFileSync(wrongShape, gzipSync(JSON.stringify({ format: "something-else", version: 1 })));
    for (const path of [notGzip, wrongShape]) {
      let error: unknown;
      try {
        loadIntentLexicon(path);
      } catch (e) {
        error = e;
      }
      expect(VpoError.isInstance(error) && error.code).toBe("input");
      expect((error as Error).message).toContain(path);
    }
  });
});
