import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { exportTrainingData } from "../src/train/export.js";
import { runCli, startCli } from "./helpers/cli.js";
import { standInBin } from "./fixtures/stand-in-bin.js";
import { pipelineRecords } from "./helpers/train-fixtures.js";

let lf: string;
let bin: string;

const json = (path: string) => JSON.parse(readFileSync(path, "utf8")) as Record<string, any>;
const withBin = (extra: Record<string, string> = {}) => ({ PATH: `${bin}:${process.env.PATH}`, FAKE_LF_STEP_MS: "150", ...extra });

beforeAll(async () => {
  const records = await pipelineRecords();
  const out = join(records.dir, "out");
  await exportTrainingData({ sft: records.sft, pairs: records.pairs, out, engines: ["llamafactory"], gpusPerNode: 8 });
  lf = join(out, "llamafactory");
  bin = await standInBin("llamafactory-cli", "./fake-llamafactory-cli.ts");
});

describe("vpo train sft|dpo --engine llamafactory (stand-in llamafactory-cli on PATH)", () => {
  it("runs the real command line with multi-GPU settings, shows progress, records the run and exits 0", async () => {
    const result = await runCli(["train", "sft", "--engine", "llamafactory", "--config", join(lf, "sft.yaml"), "--gpus", "2"], { env: withBin() });
    expect(result.stderr).toContain("for 2: 4 per device × 8 accumulation = effective batch 64");
    for (let step = 1; step <= 6; step++) expect(result.stderr).toContain(`sft (llamafactory): step ${step}/6`);
    expect(result.stderr).toMatch(/step 6\/6 \(100%\) loss 0\.2500 lr 2\.0e-6 epoch 5\.00/);
    expect(result.code).toBe(0);
    const invocation = json(join(lf, "saves/sft/fake-invocation.json"));
    expect(invocation.argv).toEqual(["train", "sft.yaml", "per_device_train_batch_size=4", "gradient_accumulation_steps=8"]);
    expect(invocation.env).toEqual({ FORCE_TORCHRUN: "1", NPROC_PER_NODE: "2" });
    expect(invocation.examples).toBe(24);
    const record = json(join(lf, "saves/sft/vpo-run.json"));
    expect(record).toMatchObject({ engine: "llamafactory", stage: "sft", status: "succeeded", exitCode: 0, model: join(lf, "saves/sft"), finalMetrics: { train_loss: 0.42 } });
    expect(record.command).toEqual(["llamafactory-cli", "train", "sft.yaml", "per_device_train_batch_size=4", "gradient_accumulation_steps=8"]);
    expect(record.progress).toMatchObject({ step: 6, totalSteps: 6 });
  });

  it("DPO progress carries reward accuracy", async () => {
    const result = await runCli(["train", "dpo", "--config", join(lf, "dpo.yaml"), "--gpus", "8"], { env: withBin({ FAKE_LF_STEPS: "4" }) });
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/dpo \(llamafactory\): step 4\/4 \(100%\) loss 0\.3750 acc 1\.000 reward 0\.400 lr 5\.0e-7/);
    expect(json(join(lf, "saves/dpo/fake-invocation.json")).argv).toEqual(["train", "dpo.yaml"]);
  });

  it("propagates the engine's exit code and shows the end of its output when it fails", async () => {
    const result = await runCli(["train", "sft", "--config", join(lf, "sft.yaml"), "--gpus", "8"], { env: withBin({ FAKE_LF_FAIL_AT: "3" }) });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("step 2/6");
    expect(result.stderr).toContain("torch.OutOfMemoryError: CUDA out of memory");
    expect(result.stderr).toMatch(/llamafactory-cli exited with code 1 at step 2\/6/);
    expect(json(join(lf, "saves/sft/vpo-run.json"))).toMatchObject({ status: "failed", exitCode: 1 });
  });

  it("forwards Ctrl-C (SIGINT) to the engine and exits with its code", async () => {
    const run = startCli(["train", "sft", "--config", join(lf, "sft.yaml"), "--gpus", "1"], { env: withBin({ FAKE_LF_HANG_AT: "2" }) });
    let stderr = "";
    const progressed = new Promise<void>((resolve) =>
      run.child.stderr!.on("data", (d: Buffer) => {
        stderr += d.toString();
        if (stderr.includes("step 2/6")) resolve();
      }),
    );
    await Promise.race([progressed, run.done]);
    run.child.kill("SIGINT");
    const result = await run.done;
    expect(result.code).toBe(130);
    expect(json(join(lf, "saves/sft/interrupted.json"))).toEqual({ signal: "SIGINT" });
    expect(json(join(lf, "saves/sft/vpo-run.json"))).toMatchObject({ status: "interrupted", exitCode: 130, progress: { step: 2 } });
  });

  it("says the engine is not installed, with its install command", async () => {
    const result = await runCli(["train", "sft", "--engine", "llamafactory", "--config", join(lf, "sft.yaml"), "--gpus", "1"], { env: { PATH: dirname(process.execPath) } });
    expect(result.code).toBe(127);
    expect(result.stderr).toContain('llamafactory-cli is not installed (not found on PATH). Install it with: pip install "llamafactory>=0.9.5" "deepspeed>=0.10.0,<=0.18.4"');
  });

  it("--dry-run prints the multi-node command and runs nothing", async () => {
    const args = ["train", "dpo", "--config", join(lf, "dpo.yaml"), "--gpus", "8", "--nodes", "2", "--node-rank", "1", "--master-addr", "node0.cluster", "--dry-run"];
    const before = existsSync(join(lf, "saves/dpo")) ? readFileSync(join(lf, "saves/dpo/vpo-run.json"), "utf8") : undefined;
    const result = await runCli(args, { env: withBin() });
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(`cd ${lf} && FORCE_TORCHRUN=1 NPROC_PER_NODE=8 NNODES=2 NODE_RANK=1 MASTER_ADDR=node0.cluster MASTER_PORT=29500 llamafactory-cli train dpo.yaml per_device_train_batch_size=1 gradient_accumulation_steps=1`);
    expect(existsSync(join(lf, "saves/dpo")) ? readFileSync(join(lf, "saves/dpo/vpo-run.json"), "utf8") : undefined).toBe(before);
    const missingRank = await runCli(["train", "dpo", "--config", join(lf, "dpo.yaml"), "--gpus", "8", "--nodes", "2", "--dry-run"]);
    expect(missingRank.code).toBe(2);
    expect(missingRank.stderr).toContain("multi-node training needs --node-rank and --master-addr");
  });
});
