import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { defaultCurateConfig, loadCurateConfig } from "./config.js";
import { createRuleFilter, loadLanguageDetector } from "./rule-filter.js";

const filter = createRuleFilter(defaultCurateConfig().rules);

describe("rule filters", () => {
  it.each([
    ["cat", "too-few-words"],
    [Array.from({ length: 130 }, () => "cat").join(" "), "too-many-words"],
    ["a b c", "too-short"],
    ["🔥🔥🔥 girl 🔥🔥🔥 dancing ✨✨✨✨", "special-chars"],
    ["a dog surfing https://example.com/x.png style", "url"],
    ["a dog surfing www.example.com style", "url"],
    ["send the video to me@example.com please", "email"],
    ["a dog surfing in the style of @pixarfan", "handle"],
    ["a dog surfing <@123456789> -ar 16:9", "handle"],
    ["Sure, here's a prompt for your video: a cat on a roof", "llm-chatter"],
    ["As an AI language model I cannot create videos of that", "llm-chatter"],
    ["a cat on a roof. I hope this helps!", "llm-chatter"],
    ["Write a poem about the sea at night", "non-video"],
    ["please summarize this article about cats", "non-video"],
  ])("%s → %s", (query, reason) => {
    expect(filter(query)?.reason).toBe(reason);
  });

  it("keeps ordinary video queries, flags included", () => {
    for (const q of ["a cat playing piano", "3 male friends hugging and singing while drunk -neg distorted faces -ar 16:9", "Tom & Jerry's chase (cartoon), 4k", "सामान का बोझ अधिक होने के कारण गधा", "写一个猫在弹钢琴的视频"]) {
      expect(filter(q)).toBeUndefined();
    }
  });

  it("filters by language only when asked, and only queries long enough to tell", async () => {
    const english = createRuleFilter({ ...defaultCurateConfig().rules, languages: ["en"] }, await loadLanguageDetector());
    expect(english("una mujer caminando por la playa al atardecer con su perro")?.reason).toBe("language");
    expect(english("a woman walking on the beach at sunset with her dog")).toBeUndefined();
    expect(english("rambo on vacation")).toBeUndefined();
  });
});

describe("curate.yaml", () => {
  const dir = mkdtempSync(join(tmpdir(), "vpo-curate-config-"));
  it("overrides defaults field by field", async () => {
    const path = join(dir, "ok.yaml");
    writeFileSync(path, "selfBleu: 0.5\nrules:\n  minWords: 3\n  nonVideoKeywords: [homework]\nsampling:\n  general: 100\n");
    const config = await loadCurateConfig(path);
    expect(config.selfBleu).toBe(0.5);
    expect(config.rules.minWords).toBe(3);
    expect(config.rules.maxWords).toBe(120);
    expect(config.sampling).toEqual({ general: 100, safety: 2000, sftShare: 0.5, seed: 0 });
    expect(createRuleFilter(config.rules)("help with my homework on cats")?.reason).toBe("non-video");
  });

  it("names the file and the field on a bad value, an unknown key or bad YAML", async () => {
    const bad = join(dir, "bad.yaml");
    writeFileSync(bad, "selfBleu: 2\nrules:\n  minWrods: 3\n");
    await expect(loadCurateConfig(bad)).rejects.toThrow(/bad\.yaml: invalid config: .*Unrecognized key: "minWrods"/);
    await expect(loadCurateConfig(bad)).rejects.toThrow(/selfBleu: Too big/);
    const broken = join(dir, "broken.yaml");
    writeFileSync(broken, "rules: [\n");
    await expect(loadCurateConfig(broken)).rejects.toThrow(/broken\.yaml: not valid YAML/);
    const regex = join(dir, "regex.yaml");
    writeFileSync(regex, "rules:\n  chatterPatterns: ['(unclosed']\n");
    await expect(loadCurateConfig(regex)).rejects.toThrow(/regex\.yaml: invalid config: rules\.chatterPatterns/);
  });
});
