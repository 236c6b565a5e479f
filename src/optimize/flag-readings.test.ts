import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { hasFlags, parseQueryFlags } from "./flags.js";
import { readQuery } from "./query.js";

const devQueries = JSON.parse(readFileSync(new URL("../../../shared/data/queries-dev.json", import.meta.url), "utf8")) as string[];
/** A real dev query, by a piece of it: the test fails if the data set no longer holds it. */
function dev(piece: string): string {
  const q = devQueries.find((s) => s.includes(piece));
  if (!q) throw new Error(`no dev query holds ${JSON.stringify(piece)}`);
  return q;
}

describe("misspelt and aliased flags", () => {
  it("reads -air and -ae as -ar, naming the reading", () => {
    const air = readQuery(dev("-air 16:9"));
    expect(air.flags).toMatchObject({ aspectRatio: "16:9", warnings: ["read `-air 16:9` as `-ar 16:9`"] });
    expect(air.text).toBe("woman is fired from her job by her boss");
    // "-ae" is not in the dev set; it is the same slip one key to the left.
    const ae = parseQueryFlags("a red fox running through snow -ae 16:9");
    expect(ae.flags).toMatchObject({ aspectRatio: "16:9", warnings: ["read `-ae 16:9` as `-ar 16:9`"] });
    expect(ae.text).toBe("a red fox running through snow");
  });

  it("reads -ng and -net as -neg", () => {
    const ng = readQuery(dev("-ng blurr"));
    expect(ng.flags).toMatchObject({ aspectRatio: "9:16", negativePrompt: "blurr, deformed shapes, unclear" });
    expect(ng.flags.warnings).toEqual(["read `-ng blurr, deformed shapes, unclear` as `-neg blurr, deformed shapes, unclear`"]);
    expect(ng.spans.find((s) => s.name === "ng")?.field).toBe("negativePrompt");
    const net = readQuery(dev("-net &quot;dolphins"));
    expect(net.flags).toMatchObject({ negativePrompt: "dolphins in the sky", warnings: ['read `-net "dolphins in the sky"` as `-neg dolphins in the sky`'] });
    expect(net.text).toBe("small dolphins in the water");
    expect(parseQueryFlags("a quiet street at night -ng cars").flags).toMatchObject({ negativePrompt: "cars", warnings: ["read `-ng cars` as `-neg cars`"] });
  });

  it("reads one-letter slips of -camera and -motion when the value fits the flag", () => {
    expect(readQuery(dev("-camer zoom in")).flags).toMatchObject({ camera: "zoom in", aspectRatio: "1:1", warnings: ["read `-camer zoom in` as `-camera zoom in`"] });
    expect(readQuery(dev("-moition4")).flags).toMatchObject({ motion: 4, guidanceScale: 24, aspectRatio: "16:9" });
  });

  it("reads a trailing -hide or --hide as a flag, not as scene text", () => {
    const single = readQuery(dev("art nouveau style -hide"));
    expect(single.flags).toMatchObject({ other: { hide: "" }, warnings: ['read `-hide` as the flag "hide", not as scene text'] });
    expect(single.text).toMatch(/art nouveau style$/);
    const double = parseQueryFlags("a lighthouse in a storm, cinematic --hide");
    expect(double.flags.other).toEqual({ hide: "" });
    expect(double.text).toBe("a lighthouse in a storm, cinematic");
  });

  it("takes nothing after a flag that has no value", () => {
    const p = parseQueryFlags("a cyborg at sunset, masterpiece -hide, art by moebius -ar 9:16");
    expect(p.flags).toMatchObject({ other: { hide: "" }, aspectRatio: "9:16" });
    expect(p.text).toBe("a cyborg at sunset, masterpiece, art by moebius");
  });

  it("puts unknown double-dash flags in other and leaves the scene after them alone", () => {
    const p = readQuery(dev("--w 1080 --h 1920"));
    expect(p.flags.other).toEqual({ quality: "10", chaos: "0", w: "1080", h: "1920" });
    expect(p.text).toContain("): Un chef apasionado demostrando cómo preparar");
    expect(readQuery(dev("--q 2 --s 400")).flags.other).toEqual({ q: "2", s: "400" });
  });
});

describe("text that only looks like a flag", () => {
  it.each([
    dev("-a lion in the jungle"),
    dev("t -shirt"),
    dev("- zoom out -side view"),
    dev("-realistic lighting"),
    dev("a t-rex"),
    "A -5 degree winter morning, well-lit cabin",
    "a new year party -new york skyline",
  ])("keeps %j as text", (q) => {
    const p = parseQueryFlags(q);
    expect(p.spans).toEqual([]);
    expect(hasFlags(p.flags)).toBe(false);
    expect(p.flags.warnings).toBeUndefined();
  });

  it("keeps text before the first flag in a query that has flags", () => {
    const p = readQuery(dev("-walking girl"));
    expect(p.text).toMatch(/^-walking girl in sport clothes/);
    expect(p.flags).toMatchObject({ negativePrompt: "blurry shaking glitching waving" });
  });
});

describe("Pika's on-screen text", () => {
  it("reads Message: TEXT (Font: NAME) as typed on-screen text and keeps it in the text", () => {
    const p = readQuery(dev("Message: GO BEARS!"));
    expect(p.flags.onScreenText).toEqual({ text: "GO BEARS!", font: "MODERN" });
    expect(p.text).toContain("Message: GO BEARS! (Font: MODERN)");
    expect(hasFlags(p.flags)).toBe(false);
    expect(parseQueryFlags("a birthday card  Message: LIFE IS GOOD (Font: SANS SERIF)").flags.onScreenText).toEqual({ text: "LIFE IS GOOD", font: "SANS SERIF" });
  });

  it("ends a flag's value where the on-screen text starts", () => {
    const p = readQuery(dev("a village -camer zoom out"));
    expect(p.flags).toMatchObject({ camera: "zoom out", onScreenText: { text: "remember", font: "MODERN" } });
  });

  it("counts only the Font form: a message in prose is scene text", () => {
    expect(parseQueryFlags("a protest where the speakers message: peace now").flags.onScreenText).toBeUndefined();
  });
});

describe("readQuery", () => {
  it("decodes HTML entities as curation does before reading flags", () => {
    const p = readQuery(dev("1970&#39;s film vibe"));
    expect(p.query).toBe("scifi robots and humans going on star wars type adventures 1970's film vibe");
    expect(p.raw).toContain("&#39;");
    const neg = readQuery('a cat &amp; a dog -neg &quot;blurry&quot; &amp;#39;noise&amp;#39;');
    expect(neg.query).toBe(`a cat & a dog -neg "blurry" 'noise'`);
    expect(neg.flags.negativePrompt).toBe(`blurry" 'noise`);
  });
});
