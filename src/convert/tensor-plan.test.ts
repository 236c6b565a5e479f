import { describe, expect, it } from "vitest";
import { llamaTensorShapes } from "../../test/fixtures/tiny-checkpoint.js";
import { GgmlType } from "../gguf/types.js";
import { parseLlamaConfig } from "./llama-config.js";
import type { SafetensorsEntry } from "./safetensors.js";
import { planTensors } from "./tensor-plan.js";

const shape = { hidden: 64, layers: 1, heads: 4, kvHeads: 2, intermediate: 96, vocab: 100 };
const hp = parseLlamaConfig({
  architectures: ["LlamaForCausalLM"], hidden_size: 64, intermediate_size: 96, num_hidden_layers: 1, num_attention_heads: 4, num_key_value_heads: 2, vocab_size: 100,
});

function entries(dtype = "BF16", skip?: string): Map<string, SafetensorsEntry> {
  return new Map(
    llamaTensorShapes(shape)
      .filter(([name]) => name !== skip)
      .map(([name, s]) => [name, { name, dtype, shape: s, offset: 0, byteLength: s.reduce((a, b) => a * b, 2), file: "/m/model.safetensors" }]),
  );
}

describe("planTensors", () => {
  it("maps names to llama.cpp's, reverses dims, permutes only Q and K, keeps norms in f32", () => {
    const plan = planTensors(entries(), hp, "q8_0");
    const byName = new Map(plan.map((t) => [t.name, t]));
    expect(plan.map((t) => t.name)).toEqual([
      "token_embd.weight", "blk.0.attn_norm.weight", "blk.0.attn_q.weight", "blk.0.attn_k.weight", "blk.0.attn_v.weight", "blk.0.attn_output.weight",
      "blk.0.ffn_norm.weight", "blk.0.ffn_gate.weight", "blk.0.ffn_up.weight", "blk.0.ffn_down.weight", "output_norm.weight", "output.weight",
    ]);
    expect(byName.get("blk.0.attn_k.weight")).toMatchObject({ dims: [64, 32], type: GgmlType.Q8_0, permuteHeadDim: 16 });
    expect(byName.get("blk.0.attn_q.weight")?.permuteHeadDim).toBe(16);
    expect(byName.get("blk.0.attn_v.weight")?.permuteHeadDim).toBeUndefined();
    expect(byName.get("blk.0.attn_norm.weight")?.type).toBe(GgmlType.F32);
    expect(byName.get("blk.0.ffn_down.weight")).toMatchObject({ dims: [96, 64], type: GgmlType.Q8_0 });
  });

  it("gives Q4_0 files a Q8_0 output projection, and falls back to f16 for rows that are not whole blocks", () => {
    const plan = new Map(planTensors(entries(), hp, "q4_0").map((t) => [t.name, t.type]));
    expect(plan.get("output.weight")).toBe(GgmlType.Q8_0);
    expect(plan.get("token_embd.weight")).toBe(GgmlType.Q4_0);
    const odd = parseLlamaConfig({ architectures: ["LlamaForCausalLM"], hidden_size: 48, intermediate_size: 96, num_hidden_layers: 1, num_attention_heads: 4, num_key_value_heads: 2, vocab_size: 100 });
    const oddEntries = new Map(llamaTensorShapes({ ...shape, hidden: 48 }).map(([name, s]) => [name, { name, dtype: "F32", shape: s, offset: 0, byteLength: 4 * s.reduce((a, b) => a * b, 1), file: "f" }]));
    expect(new Map(planTensors(oddEntries, odd, "q4_0").map((t) => [t.name, t.type])).get("blk.0.attn_q.weight")).toBe(GgmlType.F16);
  });

  it("explains missing tensors, wrong shapes, unsupported dtypes and foreign tensors", () => {
    expect(() => planTensors(entries("BF16", "model.layers.0.mlp.up_proj.weight"), hp, "f16")).toThrow(/no tensor model\.layers\.0\.mlp\.up_proj\.weight/);
    const wrong = entries();
    wrong.get("model.norm.weight")!.shape = [32];
    expect(() => planTensors(wrong, hp, "f16")).toThrow(/\/m\/model\.safetensors: tensor model\.norm\.weight has shape \[32\] but config\.json implies \[64\]/);
    expect(() => planTensors(entries("I8"), hp, "f16")).toThrow(/is I8; only F32, F16 and BF16/);
    const extra = entries();
    extra.set("vision_tower.proj.weight", { ...extra.get("model.norm.weight")!, name: "vision_tower.proj.weight" });
    expect(() => planTensors(extra, hp, "f16")).toThrow(/vision_tower\.proj\.weight/);
  });

  it("drops output.weight for tied embeddings", () => {
    const tied = { ...hp, tiedEmbeddings: true };
    expect(planTensors(entries("BF16", "lm_head.weight"), tied, "f16").some((t) => t.name === "output.weight")).toBe(false);
  });
});
