import { appendFile, readFile } from "node:fs/promises";
import { join } from "node:path";
import { parse } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { vpoTemplate } from "../src/optimize/template.js";
import { llama3VocabGguf } from "./fixtures/llama3-vocab.js";
import { runCli, type CliResult } from "./helpers/cli.js";
import { pipelineRecords } from "./helpers/train-fixtures.js";

let records: Awaited<ReturnType<typeof pipelineRecords>>;
let out: string;
let result: CliResult;

const lines = async (path: string) => (await readFile(path, "utf8")).trim().split("\n").map((l) => JSON.parse(l) as Record<string, any>);

beforeAll(async () => {
  records = await pipelineRecords(12);
  // Rows the validator must drop, each for a different reason.
  await appendFile(records.sft, ['{"query": "a dog", "prompt": "  "}', "{not json", '{"prompt": "no query"}', JSON.stringify({ query: records.queries[0], prompt: records.prompts[0] })].join("\n") + "\n");
  await appendFile(records.pairs, [JSON.stringify({ query: "q", chosen: "Same text.", rejected: "Same  text. ", source: "text" }), JSON.stringify({ query: "q", chosen: "a", rejected: "b", source: "audio" })].join("\n") + "\n");
  out = join(records.dir, "out");
  result = await runCli(["train", "export", "--engine", "all", "--sft", records.sft, "--pairs", records.pairs, "--out", out, "--gpus", "4", "--tokenizer", await llama3VocabGguf()]);
});

describe("vpo train export", () => {
  it("exports every engine, reports kept and dropped rows with file, line and reason, and prints the commands", () => {
    expect(result.code).toBe(0);
    expect(result.stderr).toContain(`sft: 12 of 16 rows kept from ${records.sft}; 4 dropped (empty 1, malformed 2, duplicate 1)`);
    expect(result.stderr).toContain(`dpo: 12 of 14 rows kept from ${records.pairs}; 2 dropped (same-chosen-rejected 1, malformed 1)`);
    expect(result.stderr).toContain(`dropped ${records.sft}:13: empty: prompt is empty`);
    expect(result.stderr).toContain(`dropped ${records.sft}:15: malformed: missing string field "query"`);
    expect(result.stderr).toMatch(new RegExp(`dropped ${records.pairs}:14: malformed: field "source": .*"text"\\|"video"`));
    expect(result.stderr).toContain("token counts: exact");
    expect(result.stderr).toContain("sft: effective batch 64 = 4 per device × 4 accumulation × 4 GPUs");
    expect(result.stderr).toContain(`cd ${join(out, "llamafactory")} && FORCE_TORCHRUN=1 NPROC_PER_NODE=4 llamafactory-cli train sft.yaml`);
    expect(result.stderr).toContain(`cd ${join(out, "trl")} && trl dpo --config dpo.yaml --accelerate_config accelerate.yaml`);
  });

  it("puts the byte-exact VPO contract in the user turn of every engine's rows, with no system turn", async () => {
    const user = (i: number) => vpoTemplate.render(records.queries[i]!)[0]!;
    const target = (i: number) => ({ role: "assistant", content: records.prompts[i]!.trim() });
    const lf = await lines(join(out, "llamafactory/vpo_sft.jsonl"));
    expect(lf[3]).toEqual({ messages: [user(3), target(3)] });
    expect((await lines(join(out, "llamafactory/vpo_dpo.jsonl")))[3]).toEqual({ messages: [user(3)], chosen: target(3), rejected: target(4) });
    // TRL's conversational prompt-completion row: the prompt turns TRL masks, then the one completion turn it trains on.
    expect((await lines(join(out, "trl/sft/train.jsonl")))[5]).toEqual({ prompt: [user(5)], completion: [target(5)] });
    expect((await lines(join(out, "trl/dpo/train.jsonl")))[5]).toEqual({ prompt: [user(5)], chosen: [target(5)], rejected: [target(6)] });
    expect((await lines(join(out, "openai/sft.jsonl")))[0]).toEqual({ messages: [user(0), target(0)] });
    const preference = { input: { messages: [user(2)] }, preferred_output: [target(2)], non_preferred_output: [target(3)] };
    expect((await lines(join(out, "openai/dpo.jsonl")))[2]).toEqual(preference);
    expect((await lines(join(out, "together/dpo.jsonl")))[2]).toEqual(preference);
    expect(user(0).content).toContain("**Harmless**: The prompt must be safe, respectful, and free from any harmful, offensive, or unethical content.  \n");
  });

  it("writes TRL configs with the paper's settings and an accelerate config for DeepSpeed ZeRO-3", async () => {
    const sft = parse(await readFile(join(out, "trl/sft.yaml"), "utf8")) as Record<string, unknown>;
    expect(sft).toMatchObject({ model_name_or_path: "meta-llama/Meta-Llama-3-8B-Instruct", dataset_name: "sft", learning_rate: 2e-6, num_train_epochs: 5, lr_scheduler_type: "constant_with_warmup", warmup_steps: 0.1, max_length: 2048, bf16: true, completion_only_loss: true });
    expect(sft).not.toHaveProperty("warmup_ratio");
    const dpo = parse(await readFile(join(out, "trl/dpo.yaml"), "utf8")) as Record<string, unknown>;
    expect(dpo).toMatchObject({ model_name_or_path: "saves/sft", beta: 0.1, learning_rate: 5e-7, num_train_epochs: 1, lr_scheduler_type: "linear" });
    expect(Number(dpo.per_device_train_batch_size) * Number(dpo.gradient_accumulation_steps) * 4).toBe(16);
    const accelerate = parse(await readFile(join(out, "trl/accelerate.yaml"), "utf8")) as Record<string, any>;
    expect(accelerate).toMatchObject({ distributed_type: "DEEPSPEED", num_processes: 4, num_machines: 1, mixed_precision: "bf16", deepspeed_config: { zero_stage: 3 } });
    const manifest = JSON.parse(await readFile(join(out, "vpo-export.json"), "utf8")) as Record<string, any>;
    expect(manifest.stages.sft).toMatchObject({ effectiveBatch: 64, perDevice: 4, accumulation: 4, gpusPerNode: 4, rows: 12 });
    expect((await lines(join(out, "dropped.jsonl"))).map((d) => d.reason)).toEqual(["empty", "malformed", "malformed", "duplicate", "same-chosen-rejected", "malformed"]);
  });

  it("says in Together's job specs and in its output that Llama 3.1's template puts a system header before the user turn", async () => {
    const spec = JSON.parse(await readFile(join(out, "together/sft.job.json"), "utf8")) as { notes: string[] };
    expect(spec.notes[0]).toContain('system turn ("Cutting Knowledge Date: December 2023 / Today Date: 26 Jul 2024") before the user turn');
    expect(spec.notes[0]).toContain("the user turn stays byte-equal to the VPO contract");
    expect((JSON.parse(await readFile(join(out, "together/dpo.job.json"), "utf8")) as { notes: string[] }).notes).toEqual(spec.notes);
    expect(result.stderr).toContain("together: Together renders these rows with meta-llama/Meta-Llama-3.1-8B-Instruct-Reference's Llama 3.1 chat template");
  });

  it("refuses bad usage clearly", async () => {
    const none = await runCli(["train", "export", "--engine", "trl", "--out", out]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("nothing to export: give --sft FILE and/or --pairs FILE");
    const engine = await runCli(["train", "export", "--engine", "axolotl", "--sft", records.sft, "--out", out]);
    expect(engine.code).toBe(2);
    expect(engine.stderr).toContain('unknown engine "axolotl"');
    const missing = await runCli(["train", "export", "--engine", "trl", "--sft", "/nonexistent/sft.jsonl", "--out", out]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("/nonexistent/sft.jsonl: no such file");
  });

  it("without a tokenizer, says counts are estimated", async () => {
    const estimated = await runCli(["train", "export", "--engine", "openai", "--sft", records.sft, "--out", join(records.dir, "est")]);
    expect(estimated.code).toBe(0);
    expect(estimated.stderr).toContain("no tokenizer given: lengths are estimated");
  });
});
