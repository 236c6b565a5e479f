import { join } from "node:path";
import type { SftRow } from "../conversation.js";
import type { JobSpec } from "./job-spec.js";
import { preferenceRow } from "./openai.js";
import type { EngineExporter } from "./plan.js";
import { writeJson, writeJsonl } from "./write-files.js";

/** Together's fine-tunable Llama 3 8B Instruct (the paper's base model family). */
export const TOGETHER_DEFAULT_MODEL = "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference";

/** Together's conversational SFT row; the same `messages` shape as OpenAI's. */
export function togetherSftRow(row: SftRow): object {
  return { messages: row.messages };
}

export const exportTogether: EngineExporter = async (dir, rows, plan) => {
  const files: string[] = [];
  const commands: string[] = [];
  const { sft, dpo } = plan.stages;
  const common = (stage: NonNullable<typeof sft>) => ({
    n_epochs: stage.recipe.epochs,
    learning_rate: stage.recipe.learningRate,
    warmup_ratio: stage.recipe.warmupRatio,
    batch_size: stage.split.effective,
    training_type: { type: "Full" },
  });
  if (sft) {
    await writeJsonl(join(dir, "sft.jsonl"), rows.sft.map(togetherSftRow));
    const spec: JobSpec = {
      provider: "together",
      stage: "sft",
      training_file: "sft.jsonl",
      rows: sft.rows,
      request: { model: plan.apiModel ?? TOGETHER_DEFAULT_MODEL, suffix: "vpo-sft", ...common(sft), training_method: { method: "sft", train_on_inputs: false } },
    };
    await writeJson(join(dir, "sft.job.json"), spec);
    files.push("sft.jsonl", "sft.job.json");
    commands.push("vpo train sft --engine together --config sft.job.json");
  }
  if (dpo) {
    await writeJsonl(join(dir, "dpo.jsonl"), rows.pairs.map(preferenceRow));
    const spec: JobSpec = {
      provider: "together",
      stage: "dpo",
      training_file: "dpo.jsonl",
      rows: dpo.rows,
      ...(sft || !plan.dpoModel ? { from: "sft" as const } : {}),
      request: {
        ...(plan.dpoModel && !sft ? { from_checkpoint: plan.dpoModel } : {}),
        suffix: "vpo-dpo",
        ...common(dpo),
        training_method: { method: "dpo", dpo_beta: dpo.recipe.beta },
      },
    };
    await writeJson(join(dir, "dpo.job.json"), spec);
    files.push("dpo.jsonl", "dpo.job.json");
    commands.push("vpo train dpo --engine together --config dpo.job.json");
  }
  return { engine: "together", dir, files, commands };
};
