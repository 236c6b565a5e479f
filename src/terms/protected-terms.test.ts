import { describe, expect, it } from "vitest";
import { readQuery } from "../optimize/query.js";
import { insertTerms } from "./insert-terms.js";
import { findProtectedTerms, holdsTerm, missingTerms, parseKeepList } from "./protected-terms.js";

describe("parseKeepList", () => {
  it("splits on commas outside quotes, angle brackets and parentheses, and unquotes whole terms", () => {
    expect(parseKeepList("ohwx man, <lora:style:0.8>, 'HAPPY BIRTHDAY'")).toEqual(["ohwx man", "<lora:style:0.8>", "HAPPY BIRTHDAY"]);
    expect(parseKeepList('"SALE, 50% OFF", (film grain:1.2), don\'t stop')).toEqual(["SALE, 50% OFF", "(film grain:1.2)", "don't stop"]);
    expect(parseKeepList(" , ,")).toEqual([]);
  });
});

describe("findProtectedTerms", () => {
  const find = (q: string, keep?: string[]) => findProtectedTerms(readQuery(q), keep);

  it("finds quoted and on-screen text, LoRA and embedding triggers and weighted tags, in the query's own spelling", () => {
    expect(find('a neon sign saying "OPEN 24/7" <lora:neon:0.7> embedding:badhands (cinematic:1.3) Message: GOOD NIGHT (Font: SERIF) -ar 16:9')).toEqual([
      { text: "GOOD NIGHT", source: "on-screen-text" },
      { text: "OPEN 24/7", source: "quoted" },
      { text: "<lora:neon:0.7>", source: "lora" },
      { text: "embedding:badhands", source: "embedding" },
      { text: "(cinematic:1.3)", source: "style-tag" },
    ]);
    expect(find("一只猫举着写有“新年快乐”的牌子，旁边写着「福」")).toEqual([
      { text: "新年快乐", source: "quoted" },
      { text: "福", source: "quoted" },
    ]);
  });

  it("lists a term inside another once, and reads no quote out of an apostrophe", () => {
    expect(find("a cake that says 'HAPPY BIRTHDAY' and it's sunny", ["HAPPY BIRTHDAY TOM"])).toEqual([{ text: "HAPPY BIRTHDAY TOM", source: "keep" }]);
    expect(find("the dog's ball and the cat's toy")).toEqual([]);
    // -neg values are flags, not scene text.
    expect(find('a beach -neg "people"')).toEqual([]);
  });
});

describe("holdsTerm and missingTerms", () => {
  it("match case and spelling exactly, whatever the quote style or spacing", () => {
    expect(holdsTerm("a sign reading “HAPPY  BIRTHDAY”", '"HAPPY BIRTHDAY"')).toBe(true);
    expect(holdsTerm("a sign reading Happy Birthday", "HAPPY BIRTHDAY")).toBe(false);
    expect(missingTerms("ohwx man in a park <lora:x:1>", [{ text: "ohwx man", source: "keep" }, { text: "<lora:x:0.8>", source: "lora" }])).toEqual([{ text: "<lora:x:0.8>", source: "lora" }]);
  });
});

describe("insertTerms", () => {
  it("adds text as a sentence after the last finished one and trigger tags at the end, never mid-word", () => {
    expect(insertTerms("A cake on a table. Candles flicker.", [{ text: "HAPPY 30", source: "quoted" }, { text: "<lora:cake:0.6>", source: "lora" }])).toBe(
      'A cake on a table. Candles flicker. It shows "HAPPY 30". <lora:cake:0.6>',
    );
    expect(insertTerms("A man walks his dog through the park with warm", [{ text: "ohwx man", source: "keep" }])).toBe("A man walks his dog through the park with warm. Featuring ohwx man.");
    expect(insertTerms("A cake. More cake, with", [{ text: "GOOD NIGHT", source: "on-screen-text" }])).toBe('A cake. More cake, with. On-screen text reads "GOOD NIGHT".');
    expect(insertTerms("A cat sleeps. <lora:cat:1>", [{ text: "MEOW", source: "quoted" }])).toBe('A cat sleeps. It shows "MEOW". <lora:cat:1>');
  });
});

describe("insertTerms in a Chinese prompt", () => {
  it("writes the sentence in Chinese, after the last 。, without spaces", () => {
    expect(insertTerms("一只橘猫站在雪中。雪花缓缓飘落，", [{ text: "新年快乐", source: "quoted" }], "zh")).toBe("一只橘猫站在雪中。雪花缓缓飘落。画面中出现“新年快乐”。");
    expect(insertTerms("一只橘猫站在雪中。", [{ text: "福", source: "on-screen-text" }, { text: "<lora:cat:1>", source: "lora" }], "zh")).toBe("一只橘猫站在雪中。画面上的文字为“福”。 <lora:cat:1>");
  });
});
