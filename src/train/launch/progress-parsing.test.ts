import { appendFile, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HfConsoleProgress, logDict } from "./hf-log-lines.js";
import { JsonlTail, progressFromTrainerLog, trainerLogRowSchema } from "./trainer-log.js";
import { parseTimedelta } from "./training-progress.js";

describe("progress from engine output", () => {
  it("maps a LLaMA-Factory trainer_log row (DPO) to steps, loss, accuracy and ETA", () => {
    const row = trainerLogRowSchema.parse({ current_steps: 10, total_steps: 40, loss: 0.6931, reward: 0.12, accuracy: 0.625, lr: 5e-7, epoch: 0.25, percentage: 25, elapsed_time: "0:01:05", remaining_time: "1 day, 0:00:10" });
    expect(progressFromTrainerLog(row)).toEqual({ step: 10, totalSteps: 40, loss: 0.6931, accuracy: 0.625, reward: 0.12, learningRate: 5e-7, epoch: 0.25, elapsedMs: 65_000, etaMs: 86_410_000 });
    expect(parseTimedelta("nonsense")).toBeUndefined();
  });

  it("reads TRL's console: tqdm steps and both old and new Trainer log dict styles", () => {
    const p = new HfConsoleProgress();
    expect(p.feed(" 25%|██▌       | 5/20 [00:10<00:30,  2.00s/it]")).toMatchObject({ step: 5, totalSteps: 20, elapsedMs: 10_000, etaMs: 30_000 });
    expect(p.feed("{'loss': 0.6931, 'grad_norm': 3.2, 'learning_rate': 5e-07, 'rewards/accuracies': 0.75, 'epoch': 0.25}")).toMatchObject({ step: 5, loss: 0.6931, accuracy: 0.75, learningRate: 5e-7, epoch: 0.25 });
    expect(logDict("{'loss': '1.234', 'epoch': '0.5'}")).toEqual({ loss: 1.234, epoch: 0.5 });
    p.feed("{'train_runtime': 12.5, 'train_loss': 0.41, 'epoch': 1.0}");
    expect(p.metrics).toMatchObject({ train_runtime: 12.5, train_loss: 0.41 });
    expect(p.feed("Map: 100%|██████████| 400/400 [00:00<00:00, 5000.00 examples/s]")?.totalSteps).toBe(400);
  });

  it("tails a growing JSONL file: skips old rows, waits for whole lines, restarts when the file is replaced", async () => {
    const dir = await mkdtemp(join(tmpdir(), "vpo-tail-"));
    const path = join(dir, "trainer_log.jsonl");
    await writeFile(path, '{"current_steps": 99}\n');
    const seen: unknown[] = [];
    const tail = new JsonlTail(path, (v) => seen.push(v), 60_000);
    await tail.start();
    await appendFile(path, '{"current_steps": 1}\n{"current_st');
    await tail.stop();
    expect(seen).toEqual([{ current_steps: 1 }]);
    await appendFile(path, 'eps": 2}\n');
    await tail.stop();
    expect(seen).toEqual([{ current_steps: 1 }, { current_steps: 2 }]);
    await rm(path);
    await writeFile(path, '{"current_steps": 1}\n');
    await tail.stop();
    expect(seen.at(-1)).toEqual({ current_steps: 1 });
    // A new file that reuses the inode and reaches the old size between two polls is still seen as new.
    await writeFile(path, '{"current_steps": 7}\n');
    await tail.stop();
    expect(seen.at(-1)).toEqual({ current_steps: 7 });
    await rm(dir, { recursive: true });
  });
});
