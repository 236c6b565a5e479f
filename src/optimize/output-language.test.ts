import { describe, expect, it } from "vitest";
import { resolveOutputLanguage } from "./output-language.js";

const zh = { language: "zh", reliable: true };
const en = { language: "en", reliable: true };
const short = { language: "zh", reliable: false };

describe("resolveOutputLanguage (--lang)", () => {
  it("auto keeps the query's language when the target reads it, else takes the target's primary one", () => {
    const wan = ["zh", "en"];
    const cogvideox = ["en"];
    expect(resolveOutputLanguage("auto", en, wan)).toBe("en");
    expect(resolveOutputLanguage("auto", zh, wan)).toBe("zh");
    expect(resolveOutputLanguage("auto", zh, cogvideox)).toBe("en");
    expect(resolveOutputLanguage(undefined, { language: "fr", reliable: true }, wan)).toBe("zh");
  });

  it("auto without a target is English (the VPO model is English-trained); a query too short to tell counts as English", () => {
    expect(resolveOutputLanguage("auto", zh)).toBe("en");
    expect(resolveOutputLanguage("auto", short, ["zh", "en"])).toBe("en");
  });

  it("same follows the query; a code is taken as given", () => {
    expect(resolveOutputLanguage("same", zh)).toBe("zh");
    expect(resolveOutputLanguage("same", short)).toBe("en");
    expect(resolveOutputLanguage("zh", en, ["en"])).toBe("zh");
    expect(() => resolveOutputLanguage("klingon", en)).toThrow(/unknown language/);
  });
});
