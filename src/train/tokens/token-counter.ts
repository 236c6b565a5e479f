import { existsSync } from "node:fs";
import { readFile, stat } from "node:fs/promises";
import { dirname, join } from "node:path";
import { Tokenizer } from "@huggingface/tokenizers";
import { InputError } from "../../errors.js";
import { tokenizerJsonFromGguf } from "./tokenizer-json-from-gguf.js";

/** Counts the tokens of a text. `exact` is false for the character-based estimate used when no tokenizer is given. */
export interface TokenCounter {
  exact: boolean;
  /** Where the tokenizer came from, or how the estimate is made (goes into the export report). */
  source: string;
  /** Tokens of `text`, special-token strings such as "<|eot_id|>" counting as one token each. */
  count(text: string): number;
}

/**
 * Characters per token assumed without a tokenizer. Whole VPO rows (contract template, query, VBench-style prompt)
 * run at about 4.7 characters per Llama 3 token; dividing by 3 overcounts them 1.55–1.65× (token-counter.test.ts), so
 * a row the estimate accepts is very unlikely to exceed the cutoff, at the price of dropping rows near it.
 */
export const ESTIMATE_CHARS_PER_TOKEN = 3;

const SPECIAL = /<\|[a-z_0-9]+\|>/g;

export const estimatedTokenCounter: TokenCounter = {
  exact: false,
  source: `estimate: ceil(characters / ${ESTIMATE_CHARS_PER_TOKEN}), special tokens 1 each`,
  count(text) {
    let specials = 0;
    const plain = text.replace(SPECIAL, () => (specials++, ""));
    return specials + Math.ceil([...plain].length / ESTIMATE_CHARS_PER_TOKEN);
  },
};

/**
 * Splits text where the Llama 3 pre-tokenizer always starts a new piece: after a run of line breaks that is followed
 * by a letter. Pieces never merge across such a cut, so the chunks' counts add up to the whole text's count, and the
 * chunks that repeat in every row (the contract template's paragraphs) are tokenized once.
 */
const PIECE_BOUNDARY = /(?<=[\r\n])(?=\p{L})/u;
const CACHE_LIMIT = 20_000;

function fromTokenizerJson(json: unknown, config: unknown, source: string): TokenCounter {
  const tokenizer = (() => {
    try {
      return new Tokenizer(json as object, (config ?? {}) as object);
    } catch (error) {
      throw new InputError(`not a usable tokenizer: ${(error as Error).message}`, source);
    }
  })();
  const cache = new Map<string, number>();
  const countChunk = (chunk: string): number => {
    const known = cache.get(chunk);
    if (known !== undefined) return known;
    const n = tokenizer.encode(chunk, { add_special_tokens: false }).ids.length;
    if (cache.size >= CACHE_LIMIT) cache.clear();
    cache.set(chunk, n);
    return n;
  };
  return { exact: true, source, count: (text) => text.split(PIECE_BOUNDARY).reduce((sum, chunk) => sum + countChunk(chunk), 0) };
}

async function readJson(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, "utf8"));
  } catch (error) {
    throw new InputError(`cannot read tokenizer: ${(error as Error).message}`, path);
  }
}

/**
 * A token counter from a tokenizer.json, a Hugging Face model folder holding one, or a Llama 3 GGUF (its embedded
 * vocabulary); without a path, the conservative character estimate.
 */
export async function loadTokenCounter(path?: string): Promise<TokenCounter> {
  if (!path) return estimatedTokenCounter;
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new InputError("no such file", path);
  if (info.isDirectory()) {
    const inside = join(path, "tokenizer.json");
    if (!existsSync(inside)) throw new InputError("folder has no tokenizer.json", path);
    return loadTokenCounter(inside);
  }
  if (path.toLowerCase().endsWith(".gguf")) return fromTokenizerJson(await tokenizerJsonFromGguf(path), {}, path);
  const configPath = join(dirname(path), "tokenizer_config.json");
  const config = existsSync(configPath) ? await readJson(configPath) : {};
  return fromTokenizerJson(await readJson(path), config, path);
}
