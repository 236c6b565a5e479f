import { join } from "node:path";
import { trainerArguments } from "../hyperparams.js";
import type { PairRow, SftRow } from "../conversation.js";
import { zero3Config } from "./deepspeed.js";
import { flatYaml } from "./flat-yaml.js";
import type { EngineExporter, ExportPlan, StagePlan } from "./plan.js";
import { writeAtomic, writeJson, writeJsonl } from "./write-files.js";

export const LLAMAFACTORY_DATASETS = { sft: "vpo_sft", dpo: "vpo_dpo" } as const;
export const LLAMAFACTORY_OUTPUT = { sft: "saves/sft", dpo: "saves/dpo" } as const;

/**
 * OpenAI-style role tags for LLaMA-Factory's "sharegpt" formatting. Not its "openai" formatting: that converter adds
 * a "detailed thinking off" system prompt when a row has none, which would break the no-system-prompt VPO contract.
 */
const OPENAI_TAGS = { role_tag: "role", content_tag: "content", user_tag: "user", assistant_tag: "assistant", system_tag: "system" };

export function llamaFactorySftRow(row: SftRow): object {
  return { messages: row.messages };
}

/** Preference rows: the prompt turns in `messages` (odd count, ending on user), chosen/rejected as single turns. */
export function llamaFactoryDpoRow(row: PairRow): object {
  return { messages: row.prompt, chosen: row.chosen, rejected: row.rejected };
}

export function llamaFactoryDatasetInfo(stages: { sft: boolean; dpo: boolean }): Record<string, object> {
  const info: Record<string, object> = {};
  if (stages.sft) info[LLAMAFACTORY_DATASETS.sft] = { file_name: `${LLAMAFACTORY_DATASETS.sft}.jsonl`, formatting: "sharegpt", columns: { messages: "messages" }, tags: OPENAI_TAGS };
  if (stages.dpo)
    info[LLAMAFACTORY_DATASETS.dpo] = {
      file_name: `${LLAMAFACTORY_DATASETS.dpo}.jsonl`,
      formatting: "sharegpt",
      ranking: true,
      columns: { messages: "messages", chosen: "chosen", rejected: "rejected" },
      tags: OPENAI_TAGS,
    };
  return info;
}

/** A `llamafactory-cli train` config. Paths are relative to the export folder, where the launcher runs the CLI. */
export function llamaFactoryYaml(stage: StagePlan, plan: ExportPlan): string {
  const { recipe, split } = stage;
  const sft = stage.stage === "sft";
  return flatYaml(
    [
      `vpo ${stage.stage} — LLaMA-Factory config written by \`vpo train export\` (VPO paper defaults).`,
      `Effective batch ${split.effective} = ${split.perDevice} per device × ${split.accumulation} accumulation × ${split.world} GPUs (${plan.gpusPerNode} per node × ${plan.nodes} nodes); ${stage.rows} rows, ~${stage.steps} steps.`,
      `Run from this folder: llamafactory-cli train ${stage.stage}.yaml   (or: vpo train ${stage.stage} --engine llamafactory --config ${stage.stage}.yaml)`,
    ],
    {
      model: { model_name_or_path: sft ? plan.baseModel : (plan.dpoModel ?? LLAMAFACTORY_OUTPUT.sft) },
      method: {
        stage: stage.stage,
        do_train: true,
        finetuning_type: "full",
        deepspeed: "ds_z3_config.json",
        pref_beta: sft ? undefined : recipe.beta,
        pref_loss: sft ? undefined : "sigmoid",
      },
      dataset: {
        dataset: LLAMAFACTORY_DATASETS[stage.stage],
        dataset_dir: ".",
        template: "llama3",
        cutoff_len: plan.cutoff,
        overwrite_cache: true,
        preprocessing_num_workers: 16,
        dataloader_num_workers: 4,
      },
      output: {
        output_dir: LLAMAFACTORY_OUTPUT[stage.stage],
        logging_steps: stage.loggingSteps,
        save_strategy: "epoch",
        save_total_limit: 1,
        save_only_model: false,
        plot_loss: true,
        overwrite_output_dir: true,
        report_to: "none",
      },
      train: {
        // warmup_ratio: LLaMA-Factory pins transformers <= 5.8.0 (extras/misc.py:97 at ff6d4d12), which still declares
        // it, while a fractional warmup_steps would be an int on the transformers 4.55-4.57 that pin also allows.
        ...trainerArguments(split, recipe, "warmup_ratio"),
        ddp_timeout: 180000000,
      },
    },
  );
}

/** Multi-GPU/multi-node launch as LLaMA-Factory reads it (FORCE_TORCHRUN, NNODES, NODE_RANK, MASTER_ADDR/PORT). */
function launchPrefix(plan: ExportPlan): string {
  if (plan.nodes > 1) return `FORCE_TORCHRUN=1 NNODES=${plan.nodes} NODE_RANK=$NODE_RANK MASTER_ADDR=$MASTER_ADDR MASTER_PORT=29500 NPROC_PER_NODE=${plan.gpusPerNode} `;
  return plan.gpusPerNode > 1 ? `FORCE_TORCHRUN=1 NPROC_PER_NODE=${plan.gpusPerNode} ` : "";
}

export const exportLlamaFactory: EngineExporter = async (dir, rows, plan) => {
  const files: string[] = [];
  const commands: string[] = [];
  const put = async (name: string, write: (path: string) => Promise<void>) => {
    await write(join(dir, name));
    files.push(name);
  };
  const stages = { sft: Boolean(plan.stages.sft), dpo: Boolean(plan.stages.dpo) };
  if (stages.sft) await put(`${LLAMAFACTORY_DATASETS.sft}.jsonl`, (p) => writeJsonl(p, rows.sft.map(llamaFactorySftRow)));
  if (stages.dpo) await put(`${LLAMAFACTORY_DATASETS.dpo}.jsonl`, (p) => writeJsonl(p, rows.pairs.map(llamaFactoryDpoRow)));
  await put("dataset_info.json", (p) => writeJson(p, llamaFactoryDatasetInfo(stages)));
  await put("ds_z3_config.json", (p) => writeJson(p, zero3Config()));
  for (const stage of [plan.stages.sft, plan.stages.dpo]) {
    if (!stage) continue;
    await put(`${stage.stage}.yaml`, (p) => writeAtomic(p, llamaFactoryYaml(stage, plan)));
    commands.push(`${launchPrefix(plan)}llamafactory-cli train ${stage.stage}.yaml`);
  }
  return { engine: "llamafactory", dir, files, commands };
};
