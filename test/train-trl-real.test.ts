/**
 * The TRL export against the real TRL, when one is installed: `trl sft|dpo`'s own parsers must consume every key of
 * the exported YAML, accelerate must load accelerate.yaml, and SFTTrainer must mask exactly the VPO prompt. No GPU and
 * no training: the tiny random-weight Llama checkpoint only lets SFTTrainer load a tokenizer and build its dataset.
 * Skipped, with the install command, where no `trl` is on PATH (VPO_TEST_TRL may name a `trl` executable).
 */
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { vpoTemplate } from "../src/optimize/template.js";
import { exportTrainingData } from "../src/train/export.js";
import { findOnPath } from "../src/train/launch/engines.js";
import { parseEnvReport } from "../src/train/launch/probe-versions.js";
import { tinyCheckpoint } from "./fixtures/tiny-checkpoint.js";
import { pipelineRecords } from "./helpers/train-fixtures.js";

const trl = process.env.VPO_TEST_TRL || findOnPath("trl");
/** The interpreter of TRL's console script (its shebang), so the check runs in the environment `trl` runs in. */
const python = trl ? /^#!\s*(\S+)/.exec(readFileSync(trl, "utf8").split("\n")[0]!)?.[1] : undefined;
const script = fileURLToPath(new URL("./fixtures/trl-real-check.py", import.meta.url));
if (!python) console.warn('SKIPPED test/train-trl-real.test.ts: no `trl` on PATH; install it with pip install "trl[deepspeed]>=0.29.0" (or set VPO_TEST_TRL=/path/to/trl)');

interface Report {
  sft: { unknown: string[]; dtype: string; warmup_steps: number; completion_only_loss: boolean | null; max_length: number };
  dpo: { unknown: string[]; beta: number };
  accelerate: { distributed_type: string; zero_stage: number };
  masking: { masked: string; trained: string };
}

async function check(format: "prompt-completion" | "messages") {
  const records = await pipelineRecords(3);
  const out = join(records.dir, format);
  await exportTrainingData({ sft: records.sft, pairs: records.pairs, out, engines: ["trl"], gpusPerNode: 1, trlSftFormat: format });
  const { stdout } = await promisify(execFile)(python!, [script, await tinyCheckpoint("F32")], { cwd: join(out, "trl"), maxBuffer: 16 * 1024 * 1024 });
  return { records, report: JSON.parse(stdout.trim().split("\n").at(-1)!) as Report };
}

describe.skipIf(!python)("the TRL export on the installed TRL (no GPU)", () => {
  it("`trl env` reports versions vpo can read", async () => {
    const { stdout } = await promisify(execFile)(trl!, ["env"]);
    expect(parseEnvReport(stdout)).toMatchObject({ trl: expect.stringMatching(/^\d/), transformers: expect.stringMatching(/^\d/), accelerate: expect.stringMatching(/^\d/) });
  });

  it("every YAML key is consumed by trl's parsers, and SFTTrainer masks exactly the VPO prompt", { timeout: 180_000 }, async () => {
    const { records, report } = await check("prompt-completion");
    expect(report.sft).toMatchObject({ unknown: [], dtype: "bfloat16", warmup_steps: 0.1, completion_only_loss: true, max_length: 2048 });
    expect(report.dpo).toMatchObject({ unknown: [], beta: 0.1 });
    expect(report.accelerate).toMatchObject({ distributed_type: "DEEPSPEED", zero_stage: 3 });
    const user = vpoTemplate.render(records.queries[0]!)[0]!.content;
    expect(report.masking.masked).toBe(`<|begin_of_text|><|start_header_id|>user<|end_header_id|>\n\n${user}<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n`);
    expect(report.masking.trained).toBe(`${records.prompts[0]!.trim()}<|eot_id|>`);
  });

  it("the messages format trains on the prompt too", { timeout: 180_000 }, async () => {
    const { report } = await check("messages");
    expect(report.sft.completion_only_loss).toBe(false);
    expect(report.masking.masked).toBe("");
    expect(report.masking.trained).toContain("User Query:");
  });
});
