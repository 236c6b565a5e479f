import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { exportTrainingData } from "../src/train/export.js";
import { runCli } from "./helpers/cli.js";
import { standInBin } from "./fixtures/stand-in-bin.js";
import { pipelineRecords } from "./helpers/train-fixtures.js";

let trl: string;
let bin: string;
const json = (path: string) => JSON.parse(readFileSync(path, "utf8")) as Record<string, any>;

beforeAll(async () => {
  const records = await pipelineRecords(8);
  await exportTrainingData({ sft: records.sft, pairs: records.pairs, out: join(records.dir, "out"), engines: ["trl"], gpusPerNode: 2 });
  trl = join(records.dir, "out", "trl");
  bin = await standInBin("trl", "./fake-trl.ts");
});

describe("vpo train sft|dpo --engine trl (stand-in trl on PATH)", () => {
  it("passes the accelerate settings, follows the Trainer's console output and records the final metrics", async () => {
    const result = await runCli(["train", "dpo", "--config", join(trl, "dpo.yaml"), "--gpus", "2"], { env: { PATH: `${bin}:${process.env.PATH}` } });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("dpo (trl): step 4/4 (100%) loss 0.2500 acc 1.000 lr 5.0e-7 epoch 1.00");
    expect(json(join(trl, "saves/dpo/fake-invocation.json")).argv).toEqual(["dpo", "--config", "dpo.yaml", "--accelerate_config", "accelerate.yaml", "--num_processes", "2", "--num_machines", "1"]);
    expect(json(join(trl, "saves/dpo/vpo-run.json"))).toMatchObject({ engine: "trl", status: "succeeded", finalMetrics: { train_loss: 0.52, train_runtime: 4.1 } });
  });

  it("re-derives the batch split when run on a different GPU count, and propagates a failure", async () => {
    const dry = await runCli(["train", "sft", "--config", join(trl, "sft.yaml"), "--gpus", "8", "--dry-run"]);
    expect(dry.stdout.trim()).toBe(`cd ${trl} && trl sft --config sft.yaml --accelerate_config accelerate.yaml --num_processes 8 --num_machines 1 --per_device_train_batch_size 4 --gradient_accumulation_steps 2`);
    const failed = await runCli(["train", "sft", "--config", join(trl, "sft.yaml"), "--gpus", "2"], { env: { PATH: `${bin}:${process.env.PATH}`, FAKE_TRL_FAIL: "1" } });
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain("trl: error: CUDA error: out of memory");
    const missing = await runCli(["train", "sft", "--engine", "trl", "--config", join(trl, "sft.yaml"), "--gpus", "1"], { env: { PATH: "/nonexistent" } });
    expect(missing.code).toBe(127);
    expect(missing.stderr).toContain('trl is not installed (not found on PATH). Install it with: pip install "trl[deepspeed]>=0.29.0"');
  });
});
