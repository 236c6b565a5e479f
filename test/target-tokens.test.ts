/**
 * Exact prompt token counts (a tokenizer.json and SentencePiece models written for the test) and the estimate's
 * upper bound, tested on the 358 VBench `*_longer` prompts (GPT-4o rewrites: a real length distribution).
 */
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { estimateTokens, openPromptCounter, type PromptTokenCounter } from "../src/target/index.js";
import { llama3TokenizerFiles } from "./fixtures/llama3-tokenizer-json.js";
import { llama2SentencePieceModel, tinySentencePieceModel } from "./fixtures/sentencepiece-model.js";

const VBENCH = join(import.meta.dirname, "../../shared/data/vbench");
const longer = readdirSync(VBENCH)
  .filter((f) => f.endsWith("_longer.txt"))
  .flatMap((f) => readFileSync(join(VBENCH, f), "utf8").split("\n"))
  .map((l) => l.trim())
  .filter(Boolean);

/** A word-level tokenizer.json small enough to count by hand: one token per known word, [UNK] otherwise. */
const TINY_TOKENIZER_JSON = {
  version: "1.0",
  truncation: null,
  padding: null,
  added_tokens: [{ id: 0, content: "[UNK]", single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }],
  normalizer: null,
  pre_tokenizer: { type: "Whitespace" },
  post_processor: null,
  decoder: null,
  model: { type: "WordLevel", vocab: { "[UNK]": 0, a: 1, cat: 2, plays: 3, piano: 4, ".": 5 }, unk_token: "[UNK]" },
};

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "vpo-target-tokens-"));
});

describe("exact prompt token counts", () => {
  it("counts with a tokenizer.json, adding T5's end-of-sequence token", async () => {
    const file = join(dir, "tokenizer.json");
    await writeFile(file, JSON.stringify(TINY_TOKENIZER_JSON));
    const t5 = await openPromptCounter("t5", file);
    expect(t5).toMatchObject({ counted: "exact", source: file });
    expect(t5.count("a cat plays piano.")).toBe(5 + 1);
    expect(t5.count("a dog plays piano")).toBe(4 + 1);
    // Decoder-only encoders crop their template before the limit applies: nothing added.
    expect((await openPromptCounter("llama", file)).count("a cat")).toBe(2);
    // A folder (a text encoder's tokenizer/ folder) is read through its tokenizer.json.
    expect((await openPromptCounter("t5", dir)).count("a cat")).toBe(3);
  });

  it("counts with a SentencePiece model as T5 and umT5 ship it (spiece.model)", async () => {
    const counter = await openPromptCounter("umt5", await tinySentencePieceModel());
    // ▁a ▁cat ▁plays ▁piano ▁at ▁sunset s , ▁red + </s>
    expect(counter.count("a cat plays piano at sunsets, red")).toBe(10);
    expect(counter.count("a cat")).toBe(3);
    expect(counter.counted).toBe("exact");
  });

  it("refuses files that are not tokenizers", async () => {
    const junk = join(dir, "junk.model");
    await writeFile(junk, "not a model");
    await expect(openPromptCounter("t5", junk)).rejects.toThrow(/junk\.model: not a SentencePiece model/);
    await expect(openPromptCounter("t5", join(dir, "missing.model"))).rejects.toThrow(/no such tokenizer file/);
    const empty = await mkdtemp(join(tmpdir(), "vpo-empty-"));
    await expect(openPromptCounter("t5", empty)).rejects.toThrow(/folder has no tokenizer\.json or SentencePiece model/);
  });
});

describe("the estimate's upper bound on VBench's GPT-4o prompts", () => {
  const margins = (exact: PromptTokenCounter, kind: "t5" | "llama") =>
    longer.map((p) => ({ p, exact: exact.count(p), estimate: estimateTokens(p, kind) }));

  it(`is at least the exact count of a 32k SentencePiece vocabulary (T5's size class) on all ${longer.length} prompts`, async () => {
    expect(longer.length).toBe(358);
    const rows = margins(await openPromptCounter("t5", await llama2SentencePieceModel()), "t5");
    const under = rows.filter((r) => r.estimate < r.exact);
    expect(under).toEqual([]);
    const ratio = rows.reduce((s, r) => s + r.estimate / r.exact, 0) / rows.length;
    console.log(`estimate / exact (32k SentencePiece + </s>): mean ${ratio.toFixed(3)}, min ${Math.min(...rows.map((r) => r.estimate / r.exact)).toFixed(3)}`);
    expect(ratio).toBeLessThan(1.5);
  });

  it("is at least the exact Llama 3 count (HunyuanVideo's encoder family) on all of them", async () => {
    const files = await llama3TokenizerFiles();
    const file = join(dir, "llama3", "tokenizer.json");
    await mkdir(join(dir, "llama3"), { recursive: true });
    await writeFile(file, JSON.stringify(files.tokenizer));
    await writeFile(join(dir, "llama3", "tokenizer_config.json"), JSON.stringify(files.tokenizerConfig));
    const rows = margins(await openPromptCounter("llama", file), "llama");
    expect(rows.filter((r) => r.estimate < r.exact)).toEqual([]);
    const ratio = rows.reduce((s, r) => s + r.estimate / r.exact, 0) / rows.length;
    console.log(`estimate / exact (Llama 3): mean ${ratio.toFixed(3)}, min ${Math.min(...rows.map((r) => r.estimate / r.exact)).toFixed(3)}`);
  });

  it("counts each CJK character as a token", () => {
    expect(estimateTokens("一只猫在弹钢琴", "umt5")).toBe(7 + 1);
    expect(estimateTokens("a cat 弹钢琴", "llama")).toBe(Math.ceil(6 / 3) + 3);
  });
});
