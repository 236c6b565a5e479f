import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { llama3TokenizerFiles } from "../../test/fixtures/llama3-tokenizer-json.js";
import { llama3VocabGguf } from "../../test/fixtures/llama3-vocab.js";
import { readGguf } from "../gguf/reader.js";
import { tokenizerMetadata } from "./tokenizer-metadata.js";

let dir: string;
const write = async (name: string, value: unknown) => writeFile(join(dir, name), JSON.stringify(value));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "vpo-tok-"));
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe("tokenizerMetadata", () => {
  it("rebuilds llama.cpp's own Llama 3 vocabulary from tokenizer.json: tokens, types and merges identical", async () => {
    for (const mergesAsPairs of [false, true]) {
      const { tokenizer, tokenizerConfig } = await llama3TokenizerFiles({ mergesAsPairs });
      await write("tokenizer.json", tokenizer);
      await write("tokenizer_config.json", tokenizerConfig);
      const { entries, summary } = await tokenizerMetadata(dir, { vocabSize: 128256 });
      const mine = new Map(entries);
      const reference = (await readGguf(await llama3VocabGguf())).metadata;
      for (const key of ["tokenizer.ggml.model", "tokenizer.ggml.pre", "tokenizer.ggml.tokens", "tokenizer.ggml.token_type", "tokenizer.ggml.merges", "tokenizer.ggml.bos_token_id"]) {
        expect(mine.get(key)?.value, key).toEqual(reference.get(key)!.value);
      }
      expect(summary).toMatchObject({ controlTokens: 256, pre: "llama-bpe", bos: 128000, eos: 128009, eot: 128009, chatTemplate: true });
      expect(mine.get("tokenizer.ggml.add_bos_token")?.value).toBe(true);
      expect(String(mine.get("tokenizer.chat_template")?.value)).toContain("<|start_header_id|>");
    }
  });

  it("pads a vocabulary smaller than the embedding with unused tokens", async () => {
    await write("tokenizer.json", {
      added_tokens: [{ id: 3, content: "<|eot_id|>", special: true }],
      pre_tokenizer: { type: "Split", pattern: { Regex: (await import("./tokenizer-metadata.js")).KNOWN_PRE_TOKENIZERS["llama-bpe"] } },
      model: { type: "BPE", vocab: { a: 0, b: 1, ab: 2 }, merges: [["a", "b"]] },
    });
    await write("tokenizer_config.json", { eos_token: { content: "<|eot_id|>" } });
    const { entries } = await tokenizerMetadata(dir, { vocabSize: 6 });
    const meta = new Map(entries);
    expect(meta.get("tokenizer.ggml.tokens")?.value).toEqual(["a", "b", "ab", "<|eot_id|>", "[PAD4]", "[PAD5]"]);
    expect(meta.get("tokenizer.ggml.token_type")?.value).toEqual([1, 1, 1, 3, 5, 5]);
    expect(meta.get("tokenizer.ggml.merges")?.value).toEqual(["a b"]);
    expect(meta.get("tokenizer.ggml.eos_token_id")?.value).toBe(3);
    expect(meta.has("tokenizer.chat_template")).toBe(false);
  });

  it("refuses tokenizers llama.cpp would tokenize differently, naming the file", async () => {
    await write("tokenizer.json", { pre_tokenizer: { type: "Whitespace" }, model: { type: "BPE", vocab: { a: 0 }, merges: [] } });
    await expect(tokenizerMetadata(dir, { vocabSize: 1 })).rejects.toThrow(/tokenizer\.json: pre-tokenizer/);
    await write("tokenizer.json", { model: { type: "Unigram", vocab: { a: 0 } } });
    await expect(tokenizerMetadata(dir, { vocabSize: 1 })).rejects.toThrow(/Unigram is not supported/);
    await writeFile(join(dir, "tokenizer.json"), "{ not json");
    await expect(tokenizerMetadata(dir, { vocabSize: 1 })).rejects.toThrow(/tokenizer\.json: not valid JSON/);
  });
});
