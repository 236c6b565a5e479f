/**
 * The converter end to end on a real (tiny) checkpoint: safetensors in bf16 and f32, sharded in two files, with the
 * real Llama 3 tokenizer. Every converted file loads in llama.cpp and generates; llama.cpp's next-token distributions
 * match an independent float64 forward pass of the Hugging Face model; quantized files stay close to the f32 file.
 *
 * Tolerances (KL divergence of next-token distributions, nats, mean over 5 positions of a 16-token text):
 * - f32 GGUF vs the float64 reference: KL < 1e-6 and no probability off by more than 1e-4 — llama.cpp's f32 kernels
 *   differ from float64 only by rounding (measured max |Δp| ≈ 6e-5 at probabilities ≈ 0.016).
 * - f16 vs f32: KL < 1e-4, same most-likely token everywhere (measured ≈ 1.2e-5): weights rounded to 11 significant
 *   bits, and llama.cpp's f16 matrix kernels also round the activations to f16.
 * - q8_0 vs f32: KL < 5e-3 (measured 2e-4…3.5e-3 on this random model, whose flat 128k-way distributions make every
 *   weight error visible), most-likely token the same at ≥ 4 of 5 positions.
 * - q4_0 vs f32: KL < 0.3 — a sanity bound only (measured ≈ 0.07): 4-bit weights are expected to move the model.
 */
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { convertCheckpoint, type ConvertType } from "../src/convert/index.js";
import { compareDistributions, nextTokenDistributions } from "../src/convert/logits.js";
import { checkTokenization } from "../src/convert/verify.js";
import { readGguf } from "../src/gguf/index.js";
import { openModel } from "../src/model/open-model.js";
import { referenceLogits, softmax } from "./fixtures/llama-reference.js";
import { TINY_CHECKPOINT_SHAPE, tinyCheckpoint, tinyCheckpointWeights, type CheckpointDtype } from "./fixtures/tiny-checkpoint.js";

const TYPES: ConvertType[] = ["f32", "f16", "q8_0", "q4_0"];
// "<|begin_of_text|>Hello world, this is a test of logits. The cat is happy!"
const TOKENS = [128000, 9906, 1917, 11, 420, 374, 264, 1296, 315, 61888, 13, 578, 8415, 374, 6437, 0];
const POSITIONS = [0, 3, 7, 11, 15];

let out: string;
beforeAll(async () => {
  out = await mkdtemp(join(tmpdir(), "vpo-convert-"));
});
afterAll(async () => rm(out, { recursive: true, force: true }));

const meanKl = (ref: Float64Array[], cand: Float64Array[]) => ref.reduce((a, r, i) => a + compareDistributions(r, cand[i]!).kl, 0) / ref.length;

describe.each<CheckpointDtype>(["BF16", "F32"])("a %s checkpoint in two shards", (dtype) => {
  const files = {} as Record<ConvertType, string>;
  let dir: string;

  beforeAll(async () => {
    dir = await tinyCheckpoint(dtype);
    for (const [i, type] of TYPES.entries()) {
      // Alternate between converting on the main thread and on a worker thread.
      const result = await convertCheckpoint({ dir, out: join(out, `${dtype}.${type}.gguf`), type, threads: i % 2 });
      files[type] = result.out;
    }
  }, 120_000);

  it("writes the hyper-parameters and tokenizer llama.cpp needs", async () => {
    const { metadata, tensors } = await readGguf(files.q4_0);
    const get = (key: string) => metadata.get(key)?.value;
    expect(get("general.architecture")).toBe("llama");
    expect(get("general.file_type")).toBe(2);
    expect(get("llama.attention.head_count_kv")).toBe(2);
    expect(get("llama.rope.freq_base")).toBe(500000);
    expect(get("llama.context_length")).toBe(2048);
    expect(get("tokenizer.ggml.pre")).toBe("llama-bpe");
    expect(get("tokenizer.ggml.eot_token_id")).toBe(128009);
    expect(tensors).toHaveLength(2 + 9 * 2 + 1);
  });

  it.each(TYPES)("the %s file loads in node-llama-cpp and generates", async (type) => {
    await using model = await openModel({ model: files[type], threads: 1, concurrency: 1 });
    const result = await model.generate({ messages: [{ role: "user", content: "a cat playing piano" }], sampling: { maxTokens: 8, seed: 3, temperature: 0.7 } });
    expect(result.usage.outputTokens).toBeGreaterThan(0);
  });

  let f32Cache: Float64Array[] | undefined;
  const f32Probabilities = async () => (f32Cache ??= await nextTokenDistributions(files.f32, TOKENS, POSITIONS, { threads: 1 }));

  it("computes what the Hugging Face model computes (f32 file vs a float64 reference forward pass)", async () => {
    const reference = referenceLogits(tinyCheckpointWeights(dtype), TINY_CHECKPOINT_SHAPE, TOKENS, POSITIONS).map(softmax);
    const f32 = await f32Probabilities();
    for (const [i, r] of reference.entries()) {
      const agreement = compareDistributions(r, f32[i]!);
      expect(agreement.kl).toBeLessThan(1e-6);
      expect(agreement.maxAbs).toBeLessThan(1e-4);
      expect(agreement.sameTop).toBe(true);
    }
  });

  it("keeps f16 and q8_0 within tolerance of the f32 file (q4_0 within a sanity bound)", async () => {
    const f32 = await f32Probabilities();
    const f16 = await nextTokenDistributions(files.f16, TOKENS, POSITIONS, { threads: 1 });
    const q8 = await nextTokenDistributions(files.q8_0, TOKENS, POSITIONS, { threads: 1 });
    const q4 = await nextTokenDistributions(files.q4_0, TOKENS, POSITIONS, { threads: 1 });
    expect(meanKl(f32, f16)).toBeLessThan(1e-4);
    expect(f32.every((r, i) => compareDistributions(r, f16[i]!).sameTop)).toBe(true);
    expect(meanKl(f32, q8)).toBeLessThan(5e-3);
    expect(f32.filter((r, i) => compareDistributions(r, q8[i]!).sameTop).length).toBeGreaterThanOrEqual(4);
    expect(meanKl(f32, q4)).toBeLessThan(0.3);
    // The measures discriminate: q4_0 is measurably further from f32 than q8_0 is.
    expect(meanKl(f32, q4)).toBeGreaterThan(meanKl(f32, q8));
  });
});

describe("tokenization parity", () => {
  it("tokenizer.json (Hugging Face's tokenizer) and llama.cpp agree token for token on 1,000 dev queries", async () => {
    const dir = await tinyCheckpoint("BF16");
    const gguf = join(out, "parity.f16.gguf");
    await convertCheckpoint({ dir, out: gguf, type: "f16", threads: 0 });
    const queries = (JSON.parse(readFileSync(new URL("../../shared/data/queries-dev.json", import.meta.url), "utf8")) as string[]).slice(0, 1000);
    expect(queries).toHaveLength(1000);
    const mismatches = await checkTokenization(dir, gguf, queries);
    expect(mismatches.map((m) => m.text)).toEqual([]);
  }, 120_000);
});
