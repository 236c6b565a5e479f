import { metadataValue, readGguf } from "../../gguf/index.js";
import { InputError } from "../../errors.js";
import { KNOWN_PRE_TOKENIZERS } from "../../convert/tokenizer-metadata.js";

/** GGUF token types (llama.cpp): 3 = control, 4 = user-defined; both are matched whole, never split by BPE. */
const SPECIAL_TOKEN_TYPES = new Set([3, 4]);

/**
 * Builds a Hugging Face `tokenizer.json` object from a GGUF file's vocabulary (tokens, merges, token types). GGUF
 * stores byte-level BPE tokens in the same form as tokenizer.json, so the vocabulary maps one to one. Only the Llama 3
 * pre-tokenizer ("llama-bpe") is supported: it is the one VPO models use.
 */
export async function tokenizerJsonFromGguf(path: string): Promise<Record<string, unknown>> {
  const gguf = await readGguf(path).catch((error: Error) => {
    throw new InputError(`cannot read GGUF: ${error.message}`, path);
  });
  const model = metadataValue(gguf.metadata, "tokenizer.ggml.model");
  const pre = metadataValue(gguf.metadata, "tokenizer.ggml.pre");
  const tokens = metadataValue(gguf.metadata, "tokenizer.ggml.tokens");
  const types = metadataValue(gguf.metadata, "tokenizer.ggml.token_type");
  const merges = metadataValue(gguf.metadata, "tokenizer.ggml.merges");
  if (model !== "gpt2" || pre !== "llama-bpe" || !Array.isArray(tokens) || !Array.isArray(merges)) {
    throw new InputError(`not a Llama 3 tokenizer (tokenizer.ggml.model=${String(model)}, pre=${String(pre)}); give the model's tokenizer.json instead`, path);
  }
  const vocab: Record<string, number> = {};
  tokens.forEach((token, id) => (vocab[String(token)] = id));
  const added = tokens.flatMap((token, id) =>
    Array.isArray(types) && SPECIAL_TOKEN_TYPES.has(Number(types[id]))
      ? [{ id, content: String(token), single_word: false, lstrip: false, rstrip: false, normalized: false, special: true }]
      : [],
  );
  return {
    version: "1.0",
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: null,
    pre_tokenizer: {
      type: "Sequence",
      pretokenizers: [
        { type: "Split", pattern: { Regex: KNOWN_PRE_TOKENIZERS["llama-bpe"] }, behavior: "Isolated", invert: false },
        { type: "ByteLevel", add_prefix_space: false, trim_offsets: true, use_regex: false },
      ],
    },
    post_processor: null,
    decoder: { type: "ByteLevel", add_prefix_space: true, trim_offsets: true, use_regex: true },
    model: {
      type: "BPE",
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: true,
      vocab,
      merges: merges.map(String),
    },
  };
}
