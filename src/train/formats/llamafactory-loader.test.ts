import { mkdtemp, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { loadLlamaFactoryDataset, REQUIRED_YAML_KEYS } from "../../../test/fixtures/llamafactory-rules.js";
import { vpoTemplate } from "../../optimize/template.js";
import { exportTrainingData } from "../export.js";
import { writeJsonl } from "./write-files.js";

// The rules (R1–R8) and where LLaMA-Factory states them are listed at the top of test/fixtures/llamafactory-rules.ts.

async function exportFixture() {
  const dir = await mkdtemp(join(tmpdir(), "vpo-lf-"));
  const queries = ["a cat playing piano", "katrina kaif naked", "3 friends drunk in a bar -ar 16:9", "a $& dollar sign query"];
  await writeJsonl(join(dir, "sft.jsonl"), queries.map((query, i) => ({ query, prompt: `A detailed prompt number ${i} for ${query}.`, id: i, provenance: { stage: "sft" } })));
  await writeJsonl(
    join(dir, "pairs.jsonl"),
    queries.map((query, i) => ({ query, chosen: `A safe, vivid prompt ${i}.`, rejected: `A weak prompt ${i}.`, source: i % 2 ? "video" : "text", scores: { chosen: 4, rejected: 2 } })),
  );
  const report = await exportTrainingData({ sft: join(dir, "sft.jsonl"), pairs: join(dir, "pairs.jsonl"), out: join(dir, "out"), engines: ["llamafactory"], gpusPerNode: 8 });
  return { dir: join(dir, "out", "llamafactory"), queries, report };
}

describe("LLaMA-Factory export against LLaMA-Factory's own dataset rules", () => {
  it("loads both datasets with no skipped rows, no system prompt and the VPO contract as the user turn (R1–R7)", async () => {
    const { dir, queries } = await exportFixture();
    const sft = loadLlamaFactoryDataset(dir, "vpo_sft");
    expect(sft.formatting).toBe("sharegpt");
    expect(sft.skipped).toEqual([]);
    expect(sft.examples).toHaveLength(4);
    for (const [i, example] of sft.examples.entries()) {
      expect(example.system).toBe("");
      expect(example.prompt).toEqual(vpoTemplate.render(queries[i]!));
      expect(example.response).toEqual([{ role: "assistant", content: `A detailed prompt number ${i} for ${queries[i]}.` }]);
    }
    const dpo = loadLlamaFactoryDataset(dir, "vpo_dpo");
    expect(dpo.ranking).toBe(true);
    expect(dpo.skipped).toEqual([]);
    expect(dpo.examples[1]!.prompt).toEqual(vpoTemplate.render(queries[1]!));
    expect(dpo.examples[1]!.response.map((r) => r.content)).toEqual(["A safe, vivid prompt 1.", "A weak prompt 1."]);
  });

  it("the rules catch what LLaMA-Factory would skip: wrong role order, even-length preference prompts", async () => {
    const { dir } = await exportFixture();
    const rows = (await readFile(join(dir, "vpo_dpo.jsonl"), "utf8")).trim().split("\n").map((l) => JSON.parse(l) as { messages: unknown[] });
    rows[0]!.messages.push({ role: "assistant", content: "extra" });
    await writeJsonl(join(dir, "vpo_dpo.jsonl"), rows);
    expect(loadLlamaFactoryDataset(dir, "vpo_dpo").skipped).toEqual([{ row: 0, why: "Invalid message count" }]);
    const sft = (await readFile(join(dir, "vpo_sft.jsonl"), "utf8")).trim().split("\n").map((l) => JSON.parse(l) as { messages: { role: string }[] });
    sft[2]!.messages.reverse();
    await writeJsonl(join(dir, "vpo_sft.jsonl"), sft);
    expect(loadLlamaFactoryDataset(dir, "vpo_sft").skipped[0]).toEqual({ row: 2, why: "Invalid role tag at turn 0" });
    expect(() => loadLlamaFactoryDataset(dir, "missing")).toThrow(/Undefined dataset missing/);
  });

  it("writes every paper key into the YAML, with numbers PyYAML reads as floats", async () => {
    const { dir } = await exportFixture();
    const sft = parse(await readFile(join(dir, "sft.yaml"), "utf8")) as Record<string, unknown>;
    const dpo = parse(await readFile(join(dir, "dpo.yaml"), "utf8")) as Record<string, unknown>;
    for (const key of REQUIRED_YAML_KEYS.common) {
      expect(sft, key).toHaveProperty(key);
      expect(dpo, key).toHaveProperty(key);
    }
    expect(sft).toMatchObject({ stage: "sft", finetuning_type: "full", learning_rate: 2e-6, num_train_epochs: 5, lr_scheduler_type: "constant_with_warmup", warmup_ratio: 0.1, cutoff_len: 2048, bf16: true, template: "llama3", deepspeed: "ds_z3_config.json" });
    expect(Number(sft.per_device_train_batch_size) * Number(sft.gradient_accumulation_steps) * 8).toBe(64);
    expect(dpo).toMatchObject({ stage: "dpo", learning_rate: 5e-7, pref_beta: 0.1, num_train_epochs: 1, lr_scheduler_type: "linear", warmup_ratio: 0.1, model_name_or_path: "saves/sft" });
    expect(Number(dpo.per_device_train_batch_size) * Number(dpo.gradient_accumulation_steps) * 8).toBe(16);
    // PyYAML's YAML 1.1 float pattern needs a dot and a signed exponent; "2e-6" would load as a string there.
    const raw = await readFile(join(dir, "sft.yaml"), "utf8");
    expect(raw).toMatch(/^learning_rate: 2\.0e-6$/m);
    const ds = JSON.parse(await readFile(join(dir, "ds_z3_config.json"), "utf8")) as { zero_optimization: { stage: number } };
    expect(ds.zero_optimization.stage).toBe(3);
  });
});
