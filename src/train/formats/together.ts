import { join } from "node:path";
import type { SftRow } from "../conversation.js";
import type { JobSpec } from "./job-spec.js";
import { preferenceRow } from "./openai.js";
import type { EngineExporter } from "./plan.js";
import { writeJson, writeJsonl } from "./write-files.js";

/**
 * Together's fine-tunable Llama 3 8B Instruct (the paper's base model family), the model its fine-tuning docs use
 * (docs.together.ai/docs/fine-tuning/supervised). It is Llama 3.1: see `togetherTemplateNote`.
 */
export const TOGETHER_DEFAULT_MODEL = "meta-llama/Meta-Llama-3.1-8B-Instruct-Reference";

/**
 * Together formats `messages` rows (and DPO's `input.messages`) "into the model's chat template if it is defined for
 * that model" (docs.together.ai/docs/fine-tuning-data-preparation). The Llama 3.1/3.2/3.3 Instruct template opens every
 * conversation with a system turn, "Cutting Knowledge Date: December 2023\nToday Date: 26 Jul 2024\n\n", even when the
 * row has none (trl/chat_templates/llama3_1.jinja:8-10 and 23-32 in the trl 1.13.0 wheel, the original 3.1 template);
 * Llama 3 (3.0) Instruct's template adds nothing (llama3.jinja:1-5 there). The user turn stays byte-equal to the VPO
 * contract either way; what differs is the header in front of it.
 */
export function togetherTemplateNote(model: string): string | undefined {
  if (!/llama-3\.[123]\b/i.test(model)) return undefined;
  return `Together renders these rows with ${model}'s Llama 3.1 chat template, which puts a system turn ("Cutting Knowledge Date: December 2023 / Today Date: 26 Jul 2024") before the user turn of every example; the user turn stays byte-equal to the VPO contract, but the model is trained with that header, so serve it through the same Llama 3.1 chat template (Together's chat endpoint does) rather than the bare VPO contract, or train with llamafactory/trl (Meta-Llama-3-8B-Instruct, no system turn) for the paper's exact input`;
}

/** Together's conversational SFT row; the same `messages` shape as OpenAI's. */
export function togetherSftRow(row: SftRow): object {
  return { messages: row.messages };
}

export const exportTogether: EngineExporter = async (dir, rows, plan) => {
  const files: string[] = [];
  const commands: string[] = [];
  const { sft, dpo } = plan.stages;
  const model = plan.apiModel ?? TOGETHER_DEFAULT_MODEL;
  // A DPO job that continues another model's checkpoint is rendered with that model's template, unknown here.
  const note = togetherTemplateNote(sft || !plan.dpoModel ? model : plan.dpoModel);
  const notes = note ? { notes: [note] } : {};
  // POST /fine-tunes fields as togethercomputer/together-typescript 5d7f323d declares them (src/resources/fine-tuning.ts):
  // model 1881, batch_size 1893, from_checkpoint 1929 (instead of model), learning_rate 1965, n_epochs 1995, suffix
  // 2018, warmup_ratio 2072, training_type {type: "Full"} 2035/2144-2145; train_on_inputs belongs inside
  // training_method {method: "sft"} (2120-2128; the top-level field is @deprecated, 2020-2024, and together-python
  // eba5e5f0 builds TrainingMethodSFT(train_on_inputs=…), src/together/resources/finetune.py:236), dpo_beta inside
  // training_method {method: "dpo"} (2130-2133). lr_scheduler (1971, 2085-2109) offers linear and cosine; linear
  // decays to min_lr_ratio × the peak, which together-python allows up to 1 (finetune.py:174-177), so the paper's
  // constant-with-warmup SFT schedule is linear with min_lr_ratio 1, and its linear DPO schedule min_lr_ratio 0.
  const scheduler = (stage: NonNullable<typeof sft>) =>
    stage.recipe.scheduler === "cosine"
      ? { lr_scheduler_type: "cosine", lr_scheduler_args: { min_lr_ratio: 0, num_cycles: 0.5 } }
      : { lr_scheduler_type: "linear", lr_scheduler_args: { min_lr_ratio: stage.recipe.scheduler === "constant_with_warmup" ? 1 : 0 } };
  const common = (stage: NonNullable<typeof sft>) => ({
    n_epochs: stage.recipe.epochs,
    learning_rate: stage.recipe.learningRate,
    lr_scheduler: scheduler(stage),
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
      ...notes,
      request: { model, suffix: "vpo-sft", ...common(sft), training_method: { method: "sft", train_on_inputs: false } },
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
      ...notes,
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
  return { engine: "together", dir, files, commands, warnings: note ? [`together: ${note}`] : [] };
};
