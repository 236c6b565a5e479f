import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { exportTrainingData } from "../src/train/export.js";
import { runCli } from "./helpers/cli.js";
import { startFineTuneServer, type FineTuneServer } from "./fixtures/fine-tune-server.js";
import { pipelineRecords } from "./helpers/train-fixtures.js";

let server: FineTuneServer;
let out: string;

const json = (path: string) => JSON.parse(readFileSync(path, "utf8")) as Record<string, any>;
const api = (stage: string, provider: string, ...extra: string[]) =>
  runCli(["train", stage, "--engine", provider, "--config", join(out, provider, `${stage}.job.json`), "--api-base-url", server.url, "--api-key", "test-key", "--poll-interval", "0.01", ...extra]);

beforeEach(async () => {
  const records = await pipelineRecords(6);
  out = join(records.dir, "out");
  await exportTrainingData({ sft: records.sft, pairs: records.pairs, out, engines: ["openai", "together"] });
});
afterEach(() => server.close());

describe("vpo train sft|dpo --engine openai (stand-in fine-tuning API)", () => {
  it("uploads the file, creates the job, polls status and events to success, then DPO starts from the SFT model", async () => {
    server = await startFineTuneServer();
    const sft = await api("sft", "openai");
    expect(sft.code).toBe(0);
    expect(server.files[0]).toMatchObject({ purpose: "fine-tune", filename: "sft.jsonl", content: readFileSync(join(out, "openai/sft.jsonl"), "utf8") });
    expect(server.jobs[0]!.body).toMatchObject({ training_file: "file-1", model: "gpt-4.1-mini-2025-04-14", method: { type: "supervised", supervised: { hyperparameters: { n_epochs: 5, batch_size: 64 } } } });
    expect(sft.stderr).toContain("event: Validating training file");
    expect(sft.stderr).toContain("sft (openai): step 3/3 (100%) loss 0.3333");
    expect(sft.stderr).toContain("event: The job has successfully completed");
    const model = "ft:gpt-4.1-mini-2025-04-14:vpo:vpo-sft:ftjob-1";
    expect(sft.stderr).toContain(`succeeded: model ${model}`);
    expect(json(join(out, "openai/sft.run.json"))).toMatchObject({ engine: "openai", stage: "sft", status: "succeeded", model, exitCode: 0, job: { id: "ftjob-1", trainingFile: "file-1" } });

    const dpo = await api("dpo", "openai");
    expect(dpo.code).toBe(0);
    expect(server.jobs[1]!.body).toMatchObject({ model, training_file: "file-2", method: { type: "dpo", dpo: { hyperparameters: { beta: 0.1, n_epochs: 1, batch_size: 16 } } } });
    const row = JSON.parse(server.files[1]!.content.split("\n")[0]!) as Record<string, any>;
    expect(Object.keys(row)).toEqual(["input", "preferred_output", "non_preferred_output"]);
    expect(json(join(out, "openai/dpo.run.json")).model).toBe(`ft:${model}:vpo:vpo-dpo:ftjob-2`);
  });

  it("a job that fails shows the API's error and exits 1", async () => {
    server = await startFineTuneServer({ failJob: () => "Training file has 3 examples with invalid roles" });
    const result = await api("sft", "openai");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("sft (openai) failed: Training file has 3 examples with invalid roles (invalid_training_file)");
    expect(json(join(out, "openai/sft.run.json"))).toMatchObject({ status: "failed", exitCode: 1 });
  });

  it("a refused request shows the API's message; DPO without an SFT result says what to do", async () => {
    server = await startFineTuneServer({ rejectCreate: () => ({ status: 400, message: "Model gpt-4.1-mini-2025-04-14 is not available for fine-tuning" }) });
    const refused = await api("sft", "openai");
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("HTTP 400: Model gpt-4.1-mini-2025-04-14 is not available for fine-tuning");
    const dpo = await api("dpo", "openai");
    expect(dpo.code).toBe(2);
    expect(dpo.stderr).toMatch(/no succeeded SFT run; run vpo train sft first, or pass --from MODEL_OR_JOB/);
    const badKey = await runCli(["train", "sft", "--config", join(out, "openai/sft.job.json"), "--api-base-url", server.url, "--api-key", "wrong"]);
    expect(badKey.code).toBe(1);
    expect(badKey.stderr).toContain("HTTP 401: Incorrect API key provided (invalid_api_key)");
  });

  it("--dry-run prints the upload and the request and sends nothing", async () => {
    server = await startFineTuneServer();
    const result = await api("dpo", "openai", "--from", "ft:my-sft-model", "--dry-run");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`upload ${join(out, "openai/dpo.jsonl")}`);
    expect(result.stdout).toContain('"model":"ft:my-sft-model"');
    expect(server.requests).toEqual([]);
  });
});

describe("vpo train sft|dpo --engine together (stand-in fine-tuning API)", () => {
  it("runs SFT to completion and DPO from the SFT job's checkpoint", async () => {
    server = await startFineTuneServer();
    const sft = await api("sft", "together");
    expect(sft.code).toBe(0);
    expect(server.files[0]).toMatchObject({ purpose: "fine-tune", filename: "sft.jsonl" });
    expect(server.jobs[0]!.body).toMatchObject({
      training_file: "file-t1",
      model: "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference",
      n_epochs: 5,
      learning_rate: 2e-6,
      warmup_ratio: 0.1,
      batch_size: 64,
      lr_scheduler: { lr_scheduler_type: "linear", lr_scheduler_args: { min_lr_ratio: 1 } },
      training_type: { type: "Full" },
      training_method: { method: "sft", train_on_inputs: false },
    });
    expect(server.jobs[0]!.body).not.toHaveProperty("train_on_inputs");
    expect(server.requests[0]).toEqual({ method: "GET", path: "/fine-tunes/models/limits" });
    expect(sft.stderr).toContain("sft (together): step 3/3 (100%)");
    const record = json(join(out, "together/sft.run.json"));
    expect(record).toMatchObject({ status: "succeeded", model: "vpo-user/meta-llama/Meta-Llama-3.1-8B-Instruct-Reference-vpo-sft-ft-1" });
    const dpo = await api("dpo", "together");
    expect(dpo.code).toBe(0);
    expect(server.jobs[1]!.body).toMatchObject({ from_checkpoint: "ft-1", learning_rate: 5e-7, training_method: { method: "dpo", dpo_beta: 0.1 } });
    expect(server.jobs[1]!.body.model).toBeUndefined();
  });

  it("refuses, before uploading anything, a batch size outside the model's published limits", async () => {
    server = await startFineTuneServer({ togetherLimits: () => ({ max_num_epochs: 20, max_learning_rate: 1, min_learning_rate: 1e-8, full_training: { max_batch_size: 32, max_batch_size_dpo: 16, min_batch_size: 8 } }) });
    const result = await api("sft", "together");
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Together would refuse this sft job: batch_size 64 is outside meta-llama/Meta-Llama-3.1-8B-Instruct-Reference's sft range 8-32");
    expect(server.files).toEqual([]);
    expect(server.requests).toEqual([{ method: "GET", path: "/fine-tunes/models/limits" }]);
  });

  it("a failed job shows the error event's message", async () => {
    server = await startFineTuneServer({ failJob: () => "Training data has 2 lines where preferred_output is not a single assistant message" });
    const result = await api("sft", "together");
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("sft (together) failed: Training data has 2 lines where preferred_output is not a single assistant message");
  });
});
