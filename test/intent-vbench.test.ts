import { describe, expect, it } from "vitest";
import { controlQueryOf, damage, loadVbenchPairs, removeMentions, type DamageOp, type VbenchPair } from "../bench/intent-vbench.js";
import { checkIntent, type IntentCheck } from "../src/intent/check-intent.js";

// Real pairs: VBench's short prompts and the GPT-4o rewrites the VBench authors publish with them.
const pairs = loadVbenchPairs();
const pair = (dimension: VbenchPair["dimension"], line: number) => pairs.find((p) => p.dimension === dimension && p.line === line)!;
const item = (r: IntentCheck, text: string) => r.items.find((i) => i.text === text)!;

describe("VBench pairs", () => {
  it("are the 358 line-aligned prompt → rewrite pairs of the four files", () => {
    expect(pairs).toHaveLength(358);
    expect(pair("human_action", 2)).toMatchObject({ query: "A person is marching" });
    expect(pair("human_action", 2).rewrite.length).toBeGreaterThan(200);
  });
});

describe("checkIntent on VBench rewrites: how each item is kept", () => {
  it("exact: the rewrite has the word itself", () => {
    const r = checkIntent(pair("multiple_objects", 2).query, pair("multiple_objects", 2).rewrite);
    expect(item(r, "cat")).toMatchObject({ status: "kept", keptBy: "exact", required: true });
  });

  it("form: another form of the word (derivation, pertainym), not only an inflection", () => {
    const sky = checkIntent(pair("human_action", 18).query, pair("human_action", 18).rewrite);
    expect(item(sky, "skydiving")).toMatchObject({ status: "kept", keptBy: "form", keptAs: "skydiver" });
    const paris = checkIntent(pair("appearance_style", 36).query, pair("appearance_style", 36).rewrite);
    expect(item(paris, "Paris")).toMatchObject({ status: "kept", keptBy: "form", keptAs: "parisian" });
    expect(paris.passed).toBe(true);
  });

  it("synonym: a word of the same WordNet sense", () => {
    const r = checkIntent(pair("human_action", 89).query, pair("human_action", 89).rewrite);
    expect(item(r, "crying")).toMatchObject({ status: "kept", keptBy: "synonym", keptAs: "tears" });
    expect(item(checkIntent(pair("human_action", 2).query, pair("human_action", 2).rewrite), "person")).toMatchObject({ keptBy: "synonym", keptAs: "individual" });
  });

  it("hyponym: a more specific term keeps the general one", () => {
    const chair = checkIntent(pair("multiple_objects", 11).query, pair("multiple_objects", 11).rewrite);
    expect(item(chair, "chair")).toMatchObject({ status: "kept", keptBy: "hyponym", keptAs: "armchair" });
    const animal = checkIntent(pair("human_action", 7).query, pair("human_action", 7).rewrite);
    expect(item(animal, "animal")).toMatchObject({ status: "kept", keptBy: "hyponym", keptAs: "golden retriever" });
    expect(chair.passed && animal.passed).toBe(true);
  });

  it("a more general term does not keep a specific one", () => {
    const { query, rewrite } = pair("multiple_objects", 2);
    const general = removeMentions(rewrite, ["cat"], "content", "animal").text;
    expect(general).toContain("animal");
    const r = checkIntent(query, general);
    expect(item(r, "cat").status).toBe("missing");
    expect(r.requiredMissing).toEqual(["cat"]);
  });

  it("reads a negated parenthesis as a negative item: kept out, never required", () => {
    const { query, rewrite } = pair("human_action", 7);
    const r = checkIntent(query, rewrite);
    expect(item(r, "cat")).toMatchObject({ kind: "negative", required: false, status: "kept" });
    expect(r.missing).not.toContain("cat");
    // A kind of cat shown anyway contradicts it; one the prompt rules out does not.
    expect(checkIntent(query, `${rewrite} A tabby watches from the porch.`).contradicted).toEqual(["cat"]);
    expect(checkIntent(query, `${rewrite} There is no cat in sight.`).contradicted).toEqual([]);
  });

  it("turns 'no' and 'without' into negative items too", () => {
    const r = checkIntent("a street at night without cars or people", "A quiet street at night: empty sidewalks, no cars.");
    expect(r.items.filter((i) => i.kind === "negative").map((i) => i.text)).toEqual(["cars", "people"]);
    expect(r.passed).toBe(true);
    expect(checkIntent("a street at night without cars", "A street at night lined with parked sedans.").contradicted).toEqual(["cars"]);
  });

  it("keeps counts strict: only the number, its digits or a count phrase keep it", () => {
    const { query, rewrite } = pair("multiple_objects", 3);
    expect(checkIntent(`${query}, three dogs`, `${rewrite} Dogs bark nearby.`).requiredMissing).toEqual(["three"]);
    expect(checkIntent(`${query}, 2 birds`, `${rewrite} A pair of birds circle overhead.`).items.find((i) => i.kind === "number")).toMatchObject({ status: "kept", keptBy: "synonym" });
  });

  it("keeps quoted text verbatim: its words, in order", () => {
    const { query, rewrite } = pair("scene", 1);
    const q = `${query}, a sign that says "OPEN LATE"`;
    expect(checkIntent(q, `${rewrite} A neon sign reads "OPEN LATE".`).passed).toBe(true);
    expect(checkIntent(q, `${rewrite} A neon sign reads "LATE OPEN".`).requiredMissing).toEqual(["OPEN LATE"]);
  });
});

describe("damage operations on VBench pairs: the damaged prompt fails, its control passes", () => {
  const cases: [DamageOp, VbenchPair["dimension"], number, RegExp][] = [
    ["drop-subject", "human_action", 2, /removed every mention of "person": individual/],
    ["drop-subject", "scene", 1, /"alley": alleyway, alley/],
    ["change-count", "multiple_objects", 2, /query \+ "\w+ \w+"; prompt says \w+/],
    ["drop-style", "appearance_style", 27, /removed the style "surrealism": surreal/],
    ["drop-quoted", "human_action", 2, /query \+ sign "[A-Z ]+"; prompt's sign reads "[A-Z]+"/],
    ["swap-colour", "scene", 1, /query \+ "black cat"; black → blue/],
    ["add-neg", "appearance_style", 27, /query \+ "-neg scales"/],
  ];
  it.each(cases)("%s on %s:%i", (op, dimension, line, record) => {
    const index = pairs.indexOf(pair(dimension, line));
    const d = damage(op, pairs[index]!, index)!;
    expect(d.record).toMatch(record);
    expect(checkIntent(d.query, d.damaged).passed).toBe(false);
    expect(checkIntent(controlQueryOf(d), d.control).passed).toBe(true);
  });

  it("removes the subject's more specific mentions too, so the drop is real", () => {
    const { rewrite } = pair("human_action", 7);
    const { text, removed } = removeMentions(rewrite, ["animal"]);
    expect(removed).toEqual(expect.arrayContaining(["golden retriever", "dog"]));
    expect(text).not.toMatch(/retriever|\bdog\b/);
  });

  it("skips pairs an operation does not fit", () => {
    const scene = pairs.indexOf(pair("scene", 1));
    expect(damage("drop-style", pairs[scene]!, scene)).toBeUndefined();
  });
});
