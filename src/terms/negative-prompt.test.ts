import { describe, expect, it } from "vitest";
import { extractIntent } from "../intent/intent-items.js";
import { composeNegativePrompt, negativeKey, splitNegativeTerms } from "./negative-prompt.js";

/** The default negative prompt Wan 2.1 / 2.2 pipelines pass (Chinese, 28 terms), as Wan's example code writes it. */
const WAN_DEFAULT = "色调艳丽，过曝，静态，细节模糊不清，字幕，风格，作品，画作，画面，静止，整体发灰，最差质量，低质量，JPEG压缩残留，丑陋的，残缺的，多余的手指，画得不好的手部，画得不好的脸部，畸形的，毁容的，形态畸形的肢体，手指融合，静止不动的画面，杂乱的背景，三条腿，背景人很多，倒着走";

describe("splitNegativeTerms and negativeKey", () => {
  it("split English and Chinese lists and strip weights and brackets", () => {
    expect(splitNegativeTerms("(worst quality:1.4), blurry; extra fingers\nwatermark.")).toEqual(["worst quality", "blurry", "extra fingers", "watermark"]);
    expect(splitNegativeTerms(WAN_DEFAULT)).toHaveLength(28);
    expect(negativeKey("Distorted Faces")).toBe(negativeKey("distorted face"));
    expect(negativeKey("字幕")).not.toBe(negativeKey("静态"));
  });
});

describe("composeNegativePrompt", () => {
  it("keeps the query's terms first, merges duplicates and keeps a Chinese default whole", () => {
    const n = composeNegativePrompt({ query: "blurry, 字幕", defaultNegative: WAN_DEFAULT, prompt: "A dog runs on a beach." });
    expect(n.terms[0]).toEqual({ term: "blurry", source: "query" });
    expect(n.terms.filter((t) => t.term === "字幕")).toEqual([{ term: "字幕", source: "query" }]);
    expect(n.terms).toHaveLength(29);
    expect(n.dropped).toEqual([]);
  });

  it("never negates what the query asks for, a protected term, or the text the video must show", () => {
    const q = 'a static shot of a lighthouse with the words "SAFE HARBOR"';
    const n = composeNegativePrompt({
      query: "lighthouse",
      defaultNegative: "text, subtitles, garbled letters, static, SAFE HARBOR, people",
      prompt: "A static shot of a white lighthouse at dusk, the words SAFE HARBOR painted on its wall.",
      intent: extractIntent(q).items,
      protectedTerms: [{ text: "SAFE HARBOR", source: "quoted" }],
    });
    expect(n.text).toBe("garbled letters, people");
    expect(n.dropped.map((d) => [d.term, d.reason])).toEqual([
      ["lighthouse", "the query asks for it"],
      ["text", "the video must show text"],
      ["subtitles", "the video must show text"],
      ["static", "the query asks for it"],
      ["SAFE HARBOR", "it is a protected term"],
    ]);
  });

  it("keeps the user's own -neg term even when the prompt mentions it", () => {
    const n = composeNegativePrompt({ query: "cars", defaultNegative: "cars", prompt: "An empty street with no cars at dawn." });
    expect(n.terms).toEqual([{ term: "cars", source: "query" }]);
  });
});
