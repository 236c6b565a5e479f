import { describe, expect, it } from "vitest";
import { InputError } from "../errors.js";
import { llama3RopeFactors, llamaMetadata, parseLlamaConfig } from "./llama-config.js";

/** Meta-Llama-3-8B-Instruct's config.json (the VPO-5B base). */
const LLAMA3_8B = {
  architectures: ["LlamaForCausalLM"], attention_bias: false, bos_token_id: 128000, eos_token_id: 128009, hidden_act: "silu",
  hidden_size: 4096, intermediate_size: 14336, max_position_embeddings: 8192, model_type: "llama", num_attention_heads: 32,
  num_hidden_layers: 32, num_key_value_heads: 8, rms_norm_eps: 1e-5, rope_scaling: null, rope_theta: 500000.0,
  tie_word_embeddings: false, torch_dtype: "bfloat16", vocab_size: 128256,
};

describe("parseLlamaConfig", () => {
  it("reads Llama 3 8B's hyper-parameters into the keys llama.cpp expects", () => {
    const hp = parseLlamaConfig(LLAMA3_8B);
    expect(hp).toMatchObject({ embedding: 4096, feedForward: 14336, layers: 32, heads: 32, kvHeads: 8, headDim: 128, vocabSize: 128256, context: 8192, ropeTheta: 500000 });
    const meta = Object.fromEntries(llamaMetadata(hp).map(([k, v]) => [k, v.value]));
    expect(meta).toMatchObject({
      "llama.context_length": 8192, "llama.embedding_length": 4096, "llama.block_count": 32, "llama.feed_forward_length": 14336,
      "llama.attention.head_count": 32, "llama.attention.head_count_kv": 8, "llama.rope.freq_base": 500000,
      "llama.attention.layer_norm_rms_epsilon": 1e-5, "llama.rope.dimension_count": 128, "llama.vocab_size": 128256,
    });
    expect(meta["llama.attention.key_length"]).toBeUndefined();
    expect(llama3RopeFactors(hp)).toBeUndefined();
  });

  it("turns Llama 3.1 rope scaling into per-frequency factors from 1 (short wavelengths) to the factor (long ones)", () => {
    const hp = parseLlamaConfig({ ...LLAMA3_8B, max_position_embeddings: 131072, rope_scaling: { rope_type: "llama3", factor: 8, low_freq_factor: 1, high_freq_factor: 4, original_max_position_embeddings: 8192 } });
    const f = llama3RopeFactors(hp)!;
    expect(f.length).toBe(64);
    expect(f[0]).toBe(1);
    expect(f[63]).toBe(8);
    for (let i = 1; i < f.length; i++) expect(f[i]!).toBeGreaterThanOrEqual(f[i - 1]!);
  });

  it("names the field that is wrong, and refuses other architectures", () => {
    expect(() => parseLlamaConfig({ ...LLAMA3_8B, hidden_size: "big" }, "/m/config.json")).toThrow(/\/m\/config.json: hidden_size/);
    expect(() => parseLlamaConfig({ ...LLAMA3_8B, architectures: ["MistralForCausalLM"] })).toThrow(InputError);
    expect(() => parseLlamaConfig({ ...LLAMA3_8B, num_key_value_heads: 5 })).toThrow(/multiple/);
    expect(() => parseLlamaConfig({ ...LLAMA3_8B, rope_scaling: { type: "yarn", factor: 4 } })).toThrow(/yarn/);
  });
});
