import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { llama3VocabGguf } from "../../../test/fixtures/llama3-vocab.js";
import { tinyLlama3Gguf } from "../../../test/fixtures/tiny-gguf.js";
import { vpoTemplate } from "../../optimize/template.js";
import { chatTokens, llama3ChatText } from "./chat-tokens.js";
import { estimatedTokenCounter, loadTokenCounter } from "./token-counter.js";

const queries = (JSON.parse(readFileSync(new URL("../../../../shared/data/queries-dev.json", import.meta.url), "utf8")) as string[]).slice(0, 1500);
const longer = readFileSync(new URL("../../../../shared/data/vbench/appearance_style_longer.txt", import.meta.url), "utf8").split("\n").filter(Boolean);
const shorter = readFileSync(new URL("../../../../shared/data/vbench/appearance_style.txt", import.meta.url), "utf8").split("\n").filter(Boolean);

describe("Llama 3 token counting", () => {
  it("a tokenizer built from a GGUF's vocabulary counts exactly what llama.cpp counts, special tokens included", async () => {
    const counter = await loadTokenCounter(await llama3VocabGguf());
    expect(counter.exact).toBe(true);
    const { getLlama } = await import("node-llama-cpp");
    const llama = await getLlama({ gpu: false });
    const model = await llama.loadModel({ modelPath: await tinyLlama3Gguf() });
    try {
      const samples = [
        ...queries,
        ...longer.slice(0, 100),
        ...queries.slice(0, 300).map((q, i) => llama3ChatText([...vpoTemplate.render(q), { role: "assistant", content: longer[i % longer.length]! }])),
        "line one\nline two \n\nLine three\r\nend",
        "日本語のテキスト émoji 🎹🐱 I'LL DON'T  \t\n\n  12345678",
      ];
      const mismatched = samples.filter((text) => counter.count(text) !== model.tokenize(text, true).length);
      expect(mismatched).toEqual([]);
      expect(counter.count("<|begin_of_text|><|eot_id|>")).toBe(2);
    } finally {
      await model.dispose();
    }
  });

  it("the estimate without a tokenizer overcounts real VPO rows (conservative for the cutoff check)", async () => {
    const counter = await loadTokenCounter(await llama3VocabGguf());
    const rows = shorter.map((q, i) => [...vpoTemplate.render(q), { role: "assistant" as const, content: longer[i]! }]);
    const ratios = rows.map((messages) => chatTokens(estimatedTokenCounter, messages) / chatTokens(counter, messages));
    expect(Math.min(...ratios)).toBeGreaterThan(1);
    // Printed for the README's figure: how much the estimate overcounts on average.
    console.log(`estimate/exact over ${rows.length} VBench rows: min ${Math.min(...ratios).toFixed(2)}, mean ${(ratios.reduce((a, b) => a + b) / ratios.length).toFixed(2)}`);
  });

  it("reads a tokenizer.json or a model folder, and says clearly what is wrong with a bad path", async () => {
    await expect(loadTokenCounter("/nonexistent/tokenizer.json")).rejects.toThrow(/no such file/);
    await expect(loadTokenCounter("/tmp")).rejects.toThrow(/no tokenizer.json/);
    expect((await loadTokenCounter()).exact).toBe(false);
  });
});
