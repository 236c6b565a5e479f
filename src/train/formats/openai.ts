import { join } from "node:path";
import type { PairRow, SftRow } from "../conversation.js";
import type { JobSpec } from "./job-spec.js";
import type { EngineExporter } from "./plan.js";
import { writeJson, writeJsonl } from "./write-files.js";

/** A base model OpenAI fine-tunes with both supervised and DPO methods. */
export const OPENAI_DEFAULT_MODEL = "gpt-4.1-mini-2025-04-14";

export function openAiSftRow(row: SftRow): object {
  return { messages: row.messages };
}

/** OpenAI's (and Together's) preference row: `input.messages`, one-turn preferred and non-preferred outputs. */
export function preferenceRow(row: PairRow): object {
  return { input: { messages: row.prompt }, preferred_output: [row.chosen], non_preferred_output: [row.rejected] };
}

export const exportOpenAi: EngineExporter = async (dir, rows, plan) => {
  const files: string[] = [];
  const commands: string[] = [];
  const model = plan.apiModel ?? OPENAI_DEFAULT_MODEL;
  const { sft, dpo } = plan.stages;
  if (sft) {
    await writeJsonl(join(dir, "sft.jsonl"), rows.sft.map(openAiSftRow));
    const spec: JobSpec = {
      provider: "openai",
      stage: "sft",
      training_file: "sft.jsonl",
      rows: sft.rows,
      request: {
        model,
        suffix: "vpo-sft",
        method: { type: "supervised", supervised: { hyperparameters: { n_epochs: sft.recipe.epochs, batch_size: sft.split.effective } } },
      },
    };
    await writeJson(join(dir, "sft.job.json"), spec);
    files.push("sft.jsonl", "sft.job.json");
    commands.push("vpo train sft --engine openai --config sft.job.json");
  }
  if (dpo) {
    await writeJsonl(join(dir, "dpo.jsonl"), rows.pairs.map(preferenceRow));
    const spec: JobSpec = {
      provider: "openai",
      stage: "dpo",
      training_file: "dpo.jsonl",
      rows: dpo.rows,
      ...(sft || !plan.dpoModel ? { from: "sft" as const } : {}),
      request: {
        ...(plan.dpoModel && !sft ? { model: plan.dpoModel } : {}),
        suffix: "vpo-dpo",
        method: { type: "dpo", dpo: { hyperparameters: { beta: dpo.recipe.beta, n_epochs: dpo.recipe.epochs, batch_size: dpo.split.effective } } },
      },
    };
    await writeJson(join(dir, "dpo.job.json"), spec);
    files.push("dpo.jsonl", "dpo.job.json");
    commands.push("vpo train dpo --engine openai --config dpo.job.json");
  }
  return { engine: "openai", dir, files, commands };
};
