import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { detectLanguage, dominantScript, isInLanguage } from "./detect-language.js";

const vbench = new URL("../../../shared/data/vbench/", import.meta.url);

describe("detectLanguage", () => {
  it("names the language of queries in several scripts", async () => {
    expect(await detectLanguage("一只橘猫在雪中弹钢琴")).toEqual({ language: "zh", reliable: true });
    expect(await detectLanguage("猫がピアノを弾いている")).toEqual({ language: "ja", reliable: true });
    expect(await detectLanguage("кошка играет на пианино в снегу")).toEqual({ language: "ru", reliable: true });
    expect(await detectLanguage("un perro corriendo en la playa al atardecer")).toEqual({ language: "es", reliable: true });
    expect(await detectLanguage("a golden retriever running on the beach at sunset")).toEqual({ language: "en", reliable: true });
  });

  it("falls back to the script's language on text too short to tell, English for Latin letters", async () => {
    expect(await detectLanguage("dog")).toEqual({ language: "en", reliable: false });
    // eld reads this as Italian by a hair: a near tie goes to English.
    expect((await detectLanguage("a panda eating funny bamboo")).language).toBe("en");
    expect(await detectLanguage("1234 !!")).toEqual({ language: "en", reliable: false });
  });
});

describe("isInLanguage", () => {
  it("tells a Chinese reply from an English one by script, and trusts eld only when it is sure", async () => {
    expect(await isInLanguage("一只橘猫站在雪中，举着红色牌子。", "en")).toBe(false);
    expect(await isInLanguage("An orange cat holds a red sign in the snow.", "zh")).toBe(false);
    expect(await isInLanguage("一只橘猫站在雪中，举着红色牌子。", "zh")).toBe(true);
    expect(await isInLanguage("Un gato naranja sostiene un cartel rojo mientras la nieve cae suavemente sobre la ciudad.", "en")).toBe(false);
    expect(await isInLanguage("A cat playing piano", "en")).toBe(true);
  });

  it("accepts every GPT-4o-expanded VBench prompt as English (no false re-asks)", async () => {
    const files = readdirSync(vbench).filter((f) => f.endsWith("_longer.txt"));
    const prompts = files.flatMap((f) => readFileSync(new URL(f, vbench), "utf8").split("\n").filter(Boolean));
    expect(prompts.length).toBeGreaterThan(300);
    const judged = await Promise.all(prompts.map((p) => isInLanguage(p, "en")));
    expect(prompts.filter((_, i) => !judged[i])).toEqual([]);
  });
});

describe("dominantScript", () => {
  it("counts letters, and a few kana make Han text Japanese", () => {
    expect(dominantScript("写有“HAPPY”的牌子")).toBe("Latin");
    expect(dominantScript("一只猫举着写有“新年快乐”的牌子 OK")).toBe("Han");
    expect(dominantScript("猫がピアノを弾く")).toBe("Kana");
    expect(dominantScript("123")).toBeUndefined();
  });
});
