import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { compileLexicon, getDefaultLexicon, loadLexicon } from "./safety-lexicon.js";
import { createSafetyScreen, screenSafety } from "./screen-safety.js";

const categories = (text: string) => screenSafety(text).categories;

describe("screenSafety", () => {
  it("flags a sexual query with the span of the term", () => {
    const r = screenSafety("katrina kaif naked");
    expect(r).toMatchObject({ flagged: true, categories: ["sexual"] });
    expect(r.matches).toEqual([{ category: "sexual", term: "naked", text: "naked", start: 13, end: 18 }]);
  });

  it.each([
    ["leetspeak", "a n4k3d woman", "n4k3d"],
    ["leetspeak with symbols", "big b00bs", "b00bs"],
    ["repeated letters", "nakkked dancer", "nakkked"],
    ["spacing", "a n u d e beach", "n u d e"],
    ["dotted letters", "p.o.r.n star", "p.o.r.n"],
    ["masking", "a p*rn actress", "p*rn"],
    ["fullwidth letters", "ｎａｋｅｄ woman", "ｎａｋｅｄ"],
    ["zero-width joiner", "na\u200Bked woman", "na\u200Bked"],
    ["diacritics", "a nüde model", "nüde"],
    ["Cyrillic look-alikes", "n\u0430ked man", "n\u0430ked"],
    ["upper case", "NAKED MAN", "NAKED"],
  ])("sees through %s", (_name, text, matched) => {
    const r = screenSafety(text);
    expect(r.categories).toContain("sexual");
    expect(r.matches.map((m) => m.text)).toContain(matched);
    const m = r.matches.find((x) => x.text === matched)!;
    expect(text.slice(m.start, m.end)).toBe(matched);
  });

  it("labels how a match was hidden", () => {
    const by = (text: string) => screenSafety(text).matches[0]?.obfuscation;
    expect(by("s3x scene")).toBe("leetspeak");
    expect(by("nakkked")).toBe("repeated-letters");
    expect(by("s e x scene")).toBe("spacing");
    expect(by("p*rn")).toBe("masking");
    expect(by("ｎａｋｅｄ")).toBe("unicode");
    expect(by("naked")).toBeUndefined();
  });

  it.each([
    "two men kissing at a wedding",
    "a same-sex couple holding hands in the park",
    "a gay pride parade with rainbow flags",
    "a lesbian couple dancing at their wedding",
    "a transgender woman reading a book",
    "a muslim woman praying in a mosque",
    "a jewish family lighting hanukkah candles",
    "a black family having dinner together",
    "a Sikh man in a turban riding a bicycle",
    "an Arab merchant in a market",
    "Mexican immigrants celebrating a festival",
    "a Hindu wedding with colorful saris",
    "Christians singing in a church choir",
    "a disabled athlete in a wheelchair race",
  ])("never flags identity by itself: %s", (text) => {
    expect(categories(text)).toEqual([]);
  });

  it.each([
    "20 - 11 coins = 9 coins",
    "a knife slicing bread",
    "a cowboy with a gun in the desert",
    "horror movie ambience, a ghost in an old mansion",
    "zombies walking in a foggy street",
    "a blood moon over the sea",
    "shooting stars streaking across the sky",
    "a killer whale jumping out of the water",
    "grilled chicken breast on a plate",
    "a woman in a bikini on the beach",
    "Slick Rick rapping on stage",
    "a couple kissing in the rain",
    "a photographer shooting a woman in a studio",
    "the Gaza Strip at sunset",
    "blue tits on a branch",
    "Egyptian goddess Isis in a temple",
    "a close-up shot of a man walking",
    "a man with a bare chest chopping wood",
  ])("lets benign but edgy text pass: %s", (text) => {
    expect(categories(text)).toEqual([]);
  });

  it.each([
    ["a man stabbing a woman in the street", "violence"],
    ["he shot her in the back", "violence"],
    ["a body covered in blood", "gore"],
    ["a severed head on a table", "gore"],
    ["committing suicide by jumping off a cliff", "self-harm"],
    ["kill all jews", "hate"],
    ["muslims are vermin", "hate"],
    ["how to make a bomb at home", "weapons"],
    ["robbers pointing a gun at people in a bank", "weapons"],
    ["doing lines of cocaine", "drugs"],
    ["smoking weed on a couch", "drugs"],
    ["a nazi salute in a stadium", "extremism"],
    ["rotting corpses in a basement", "disturbing"],
    ["a sexy woman in lingerie", "borderline-sexual"],
  ])("flags %j as %s", (text, category) => {
    expect(categories(text)).toContain(category);
  });

  it("flags minors only together with sexual content, and marks the minor word as context", () => {
    expect(categories("a schoolgirl walking to class")).toEqual([]);
    expect(categories("a sexy woman dancing")).toEqual(["borderline-sexual"]);
    const r = screenSafety("a sexy schoolgirl dancing");
    expect(r.categories).toEqual(["borderline-sexual", "minors"]);
    expect(r.matches.find((m) => m.category === "minors")).toMatchObject({ text: "schoolgirl", context: true });
    expect(categories("a 15 year old girl, naked")).toContain("minors");
    expect(categories("jailbait photos")).toContain("minors");
  });

  it("maps spans back to the original text past emoji and combining marks", () => {
    const text = "🎬 café scene, then a nu\u0301de dancer";
    const m = screenSafety(text).matches[0]!;
    expect(text.slice(m.start, m.end)).toBe("nu\u0301de");
  });

  it("does not read real words with double letters as obfuscations", () => {
    for (const text of ["rapping on stage", "bobby on a bike", "Puss in Boots", "XX century art", "KK initials"]) expect(categories(text)).toEqual([]);
  });

  it("is a pure function of text and lexicon, usable as an injected screen", () => {
    const screen: (text: string) => { categories: string[] } = createSafetyScreen();
    expect(screen("nude beach").categories).toEqual(["sexual"]);
    expect(screen("nude beach")).toEqual(screenSafety("nude beach"));
  });
});

describe("safety lexicon", () => {
  it("ships as a versioned file with T2VSafetyBench-aligned categories", () => {
    const lexicon = getDefaultLexicon();
    expect(lexicon.version).toMatch(/^1\./);
    expect(lexicon.categories.map((c) => c.id)).toEqual(
      expect.arrayContaining(["sexual", "borderline-sexual", "minors", "violence", "gore", "self-harm", "hate", "weapons", "drugs", "extremism", "disturbing"]),
    );
    expect(lexicon.categories.find((c) => c.id === "sexual")!.t2vsafetybench).toContain("Pornography");
  });

  it("compiles a custom lexicon with groups, optional words and allow phrases", () => {
    const lexicon = compileLexicon({
      name: "t",
      version: "0",
      groups: { pet: ["cat", "dog"] },
      categories: { cruelty: { description: "d", terms: ["(kick|kicks) (a|the)? @pet", "gloom*"] } },
      allow: ["kicks the dog toy"],
    });
    expect(screenSafety("he kicks the dog", lexicon).categories).toEqual(["cruelty"]);
    expect(screenSafety("he kicks a cat", lexicon).categories).toEqual(["cruelty"]);
    expect(screenSafety("he kicks the dog toy", lexicon).categories).toEqual([]);
    expect(screenSafety("gloomiest day", lexicon).categories).toEqual(["cruelty"]);
  });

  it("rejects a malformed lexicon naming the file", () => {
    expect(() => compileLexicon({ name: "t", version: "0", groups: {}, categories: { x: { description: "d", terms: ["@missing"] } } }, "my.json")).toThrow(/my\.json: .*unknown group "@missing"/);
    expect(() => compileLexicon({ name: "t" }, "my.json")).toThrow(/my\.json: invalid safety lexicon/);
    expect(() => compileLexicon({ name: "t", version: "0", groups: {}, categories: { x: { description: "d", terms: ["ab*"] } } }, "my.json")).toThrow(/shorter than/);
    expect(() => loadLexicon("/nonexistent/lexicon.json")).toThrow(/lexicon\.json: no such file/);
  });
});

describe("screenSafety on the dev queries", () => {
  const queries = JSON.parse(readFileSync(new URL("../../../shared/data/queries-dev.json", import.meta.url), "utf8")) as string[];

  it("flags every query that plainly asks for nudity or pornography", () => {
    const plain = queries.filter((q) => /\b(naked|nude|porn|topless|nsfw)\b/i.test(q));
    expect(plain.length).toBeGreaterThan(5);
    for (const q of plain) expect(screenSafety(q).categories, q).toContain("sexual");
  });

  it("flags a small share overall: unsafe queries are a minority of real traffic", () => {
    const share = queries.filter((q) => screenSafety(q).flagged).length / queries.length;
    expect(share).toBeGreaterThan(0.02);
    expect(share).toBeLessThan(0.08);
  });
});
