import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { copyFile, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { exportTrainingData } from "../src/train/export.js";
import { vpoTemplate } from "../src/optimize/template.js";
import { runCli } from "./helpers/cli.js";
import { standInBin } from "./fixtures/stand-in-bin.js";
import { pipelineRecords } from "./helpers/train-fixtures.js";

let records: Awaited<ReturnType<typeof pipelineRecords>>;
let trl: string;
let lf: string;
let trlBin: string;
let lfBin: string;
const json = (path: string) => JSON.parse(readFileSync(path, "utf8")) as Record<string, any>;

/** Runs the CLI with the stand-in on PATH; returns the result and every command line the stand-in was called with. */
async function run(bin: string, args: string[], env: Record<string, string> = {}) {
  const calls = join(await mkdtemp(join(tmpdir(), "vpo-calls-")), "calls.jsonl");
  const result = await runCli(args, { env: { PATH: `${bin}:${process.env.PATH}`, FAKE_TRL_CALLS: calls, FAKE_LF_STEP_MS: "20", FAKE_LF_STEPS: "2", ...env } });
  const invoked = existsSync(calls) ? readFileSync(calls, "utf8").trim().split("\n").map((l) => JSON.parse(l) as string[]) : [];
  return { ...result, invoked };
}

beforeAll(async () => {
  records = await pipelineRecords(6);
  await exportTrainingData({ sft: records.sft, pairs: records.pairs, out: join(records.dir, "out"), engines: ["trl", "llamafactory"], gpusPerNode: 2 });
  trl = join(records.dir, "out", "trl");
  lf = join(records.dir, "out", "llamafactory");
  trlBin = await standInBin("trl", "./fake-trl.ts");
  lfBin = await standInBin("llamafactory-cli", "./fake-llamafactory-cli.ts");
});

describe("vpo train sft|dpo --engine trl checks the installed versions through `trl env` first", () => {
  it("stops on a TRL older than 0.29 with the version found, the version needed and the pip command; launches nothing", async () => {
    const result = await run(trlBin, ["train", "dpo", "--engine", "trl", "--config", join(trl, "dpo.yaml"), "--gpus", "2"], { FAKE_TRL_VERSION: "0.28.1" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("nothing was started: trl 0.28.1 is installed, and trl>=0.29.0 is needed: before 0.29 `trl dpo` starts accelerate without the launch arguments");
    expect(result.stderr).toContain('Fix: pip install --upgrade "trl[deepspeed]>=0.29.0"');
    expect(result.invoked).toEqual([["env"]]);
    expect(existsSync(join(trl, "saves/dpo"))).toBe(false);
  });

  it("passes warmup_ratio instead of the fractional warmup_steps to transformers 4.x, where warmup_steps is an int", async () => {
    const result = await run(trlBin, ["train", "sft", "--config", join(trl, "sft.yaml"), "--gpus", "2"], { FAKE_TRANSFORMERS_VERSION: "4.57.6" });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain("trl env: trl 1.13.0, torch 2.9.0, transformers 4.57.6, accelerate 1.15.0, deepspeed 0.18.6");
    expect(result.stderr).toContain("transformers 4.57.6 reads warmup_steps as a step count (a fraction only from 5.0.0): passing warmup_ratio 0.1 instead");
    const invocation = json(join(trl, "saves/sft/fake-invocation.json"));
    expect(invocation.argv.slice(-4)).toEqual(["--warmup_ratio", "0.1", "--warmup_steps", "0"]);
    expect(invocation.warmup).toEqual({ ratio: 0.1 });
    expect(json(join(trl, "saves/sft/vpo-run.json")).engineVersions).toMatchObject({ trl: "1.13.0", transformers: "4.57.6" });
  });

  it("keeps warmup_steps on transformers 5.x, and the default SFT export masks the prompt", async () => {
    const result = await run(trlBin, ["train", "sft", "--config", join(trl, "sft.yaml"), "--gpus", "2"]);
    expect(result.code).toBe(0);
    const invocation = json(join(trl, "saves/sft/fake-invocation.json"));
    expect(invocation.argv).not.toContain("--warmup_ratio");
    expect(invocation.warmup).toEqual({ ratio: 0.1 });
    expect(invocation.masksPrompt).toBe(true);
    // The row shape SFTTrainer masks (trl/trainer/sft_trainer.py:1203 and 1529-1567 in the 1.13.0 wheel): a `prompt`
    // list of messages rendered with add_generation_prompt=True, then a `completion` list holding the assistant turn.
    const row = JSON.parse((await readFile(join(trl, "sft/train.jsonl"), "utf8")).split("\n")[0]!) as Record<string, unknown>;
    expect(Object.keys(row)).toEqual(["prompt", "completion"]);
    expect(row.prompt).toEqual(vpoTemplate.render(records.queries[0]!));
    expect(row.completion).toEqual([{ role: "assistant", content: records.prompts[0]!.trim() }]);
  });

  it("stops when the accelerate config asks for DeepSpeed and it is not installed", async () => {
    const result = await run(trlBin, ["train", "sft", "--config", join(trl, "sft.yaml"), "--gpus", "2"], { FAKE_DEEPSPEED_VERSION: "not installed" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('deepspeed is not installed (per `trl env`), and deepspeed is needed: accelerate.yaml selects DeepSpeed ZeRO-3 (distributed_type: DEEPSPEED). Fix: pip install "trl[deepspeed]"');
    expect(result.invoked).toEqual([["env"]]);
  });

  it("stops an older export's warmup_ratio on transformers 5.15+, which the real CLI would reject at launch", async () => {
    const old = join(trl, "old-sft.yaml");
    await writeFile(old, (await readFile(join(trl, "sft.yaml"), "utf8")).replace("warmup_steps: 0.1", "warmup_ratio: 0.1"));
    // What `trl sft` itself does with it: the unknown key becomes an accelerate flag, and accelerate aborts.
    const direct: { code?: number; stderr: string } = await promisify(execFile)(join(trlBin, "trl"), ["sft", "--config", "old-sft.yaml"], { cwd: trl }).catch((e: { code: number; stderr: string }) => e);
    expect(direct.code).toBe(1);
    expect(direct.stderr).toContain("unrecognized arguments: --warmup_ratio 0.1");
    const result = await run(trlBin, ["train", "sft", "--engine", "trl", "--config", old, "--gpus", "2"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('transformers 5.18.0 is installed, and transformers<5.15.0 is needed: the config sets warmup_ratio, which transformers removed in 5.15.0');
    expect(result.invoked).toEqual([["env"]]);
  });

  it("says so when the versions cannot be read, and launches nothing", async () => {
    const result = await run(trlBin, ["train", "sft", "--config", join(trl, "sft.yaml"), "--gpus", "2"], { FAKE_TRL_ENV_FAIL: "1" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("could not read the installed versions: `trl env` exited with code 1");
    expect(result.stderr).toContain("ModuleNotFoundError: No module named 'torch'");
    expect(result.invoked).toEqual([["env"]]);
  });
});

describe("vpo train sft|dpo --engine llamafactory checks `llamafactory-cli env` first", () => {
  it("stops on a transformers outside the installed LLaMA-Factory's own pin", async () => {
    const result = await run(lfBin, ["train", "sft", "--config", join(lf, "sft.yaml"), "--gpus", "1"], { FAKE_LF_VERSION: "0.9.6.dev0", FAKE_LF_TRANSFORMERS_VERSION: "5.9.0" });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('transformers 5.9.0 is installed, and transformers>=4.55.0,<=5.8.0,!=4.57.0,!=5.6.0 is needed: LLaMA-Factory 0.9.6.dev0 pins it (extras/misc.py:97) and stops otherwise. Fix: pip install "transformers>=4.55.0,<=5.8.0,!=4.57.0,!=5.6.0"');
    expect(existsSync(join(lf, "saves/sft/fake-invocation.json"))).toBe(false);
  });

  it("stops when ZeRO-3 is configured and deepspeed is missing, or LLaMA-Factory is older than the export", async () => {
    const noDeepSpeed = await run(lfBin, ["train", "dpo", "--config", join(lf, "dpo.yaml"), "--gpus", "1"], { FAKE_LF_DEEPSPEED_VERSION: "" });
    expect(noDeepSpeed.code).toBe(1);
    expect(noDeepSpeed.stderr).toContain('deepspeed is not installed (per `llamafactory-cli env`), and deepspeed is needed: the config sets `deepspeed: ds_z3_config.json` (ZeRO-3)');
    expect(noDeepSpeed.stderr).toContain('Fix: pip install "deepspeed>=0.10.0,<=0.18.4"');
    const old = await run(lfBin, ["train", "dpo", "--config", join(lf, "dpo.yaml"), "--gpus", "1"], { FAKE_LF_VERSION: "0.9.3" });
    expect(old.code).toBe(1);
    expect(old.stderr).toContain('llamafactory 0.9.3 is installed, and llamafactory>=0.9.5 is needed');
    expect(existsSync(join(lf, "saves/dpo"))).toBe(false);
    const ok = await run(lfBin, ["train", "dpo", "--config", join(lf, "dpo.yaml"), "--gpus", "1"]);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toContain("llamafactory-cli env: llamafactory 0.9.5, torch 2.7.1+cu126, transformers 4.57.6, accelerate 1.11.0, deepspeed 0.18.4");
  });
});

describe("the version check is part of the library launcher", () => {
  it("runLocalTraining stops before creating the output folder", async () => {
    const { runLocalTraining } = await import("../src/train/launch/run-local.js");
    const dir = await mkdtemp(join(tmpdir(), "vpo-trl-lib-"));
    for (const f of ["sft.yaml", "accelerate.yaml"]) await copyFile(join(trl, f), join(dir, f));
    const path = process.env.PATH;
    process.env.PATH = `${trlBin}:${path}`;
    process.env.FAKE_TRL_VERSION = "0.27.2";
    try {
      await expect(runLocalTraining({ engine: "trl", stage: "sft", config: join(dir, "sft.yaml"), gpusPerNode: 1 })).rejects.toMatchObject({ code: "engine-missing", problems: [{ package: "trl", found: "0.27.2", needed: ">=0.29.0" }] });
      expect(existsSync(join(dir, "saves"))).toBe(false);
    } finally {
      process.env.PATH = path;
      delete process.env.FAKE_TRL_VERSION;
    }
  });
});
