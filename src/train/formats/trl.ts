import { join } from "node:path";
import { stringify } from "yaml";
import { trainerArguments } from "../hyperparams.js";
import type { PairRow, SftRow } from "../conversation.js";
import { flatYaml } from "./flat-yaml.js";
import type { EngineExporter, ExportPlan, StagePlan } from "./plan.js";
import { writeAtomic, writeJsonl } from "./write-files.js";

export const TRL_OUTPUT = { sft: "saves/sft", dpo: "saves/dpo" } as const;

/**
 * The versions the TRL export is written for (today's pip install) and the oldest it was checked against; `vpo train
 * sft|dpo --engine trl` holds the installed ones against launch/version-requirements.ts before anything starts.
 */
export const TRL_TARGET = { trl: "1.13.0", transformers: "5.18.0", accelerate: "1.15.0", oldestTrl: "0.29.0", oldestTransformers: "4.57.6" } as const;

/**
 * TRL SFT rows. "prompt-completion" (the default) is conversational prompt/completion: SFTTrainer renders the prompt
 * with the chat template and add_generation_prompt=True, the whole conversation without it, and masks the prompt's
 * tokens from the loss when completion_only_loss is on (completion_mask built at trl/trainer/sft_trainer.py:1529-1567
 * and labels set to -100 outside it at l. 1606-1624 in the 1.13.0 wheel; l. 1465-1502 and 1549-1556 at f2cd5771;
 * l. 1030-1090 and the collator's l. 218-222 at v0.29.0): the loss falls on the assistant turn and its <|eot_id|>
 * only, as in LLaMA-Factory and the paper. "messages" is TRL's
 * language-modeling case: every token of the conversation, the ~250-token VPO instruction included, is trained on.
 */
export function trlSftRow(row: SftRow, format: ExportPlan["trlSftFormat"]): object {
  if (format === "messages") return { messages: row.messages };
  return { prompt: row.messages.slice(0, -1), completion: row.messages.slice(-1) };
}

/** TRL's conversational preference rows: the prompt turns, then one-turn chosen and rejected lists. */
export function trlDpoRow(row: PairRow): object {
  return { prompt: row.prompt, chosen: [row.chosen], rejected: [row.rejected] };
}

/**
 * A `trl sft|dpo --config` file. `dataset_name` is the folder holding train.jsonl (datasets loads a local folder).
 * Every key must be a field of the dataclasses TRL parses the config into: TrlParser hands any other key to
 * `accelerate launch` as a flag, which aborts the run (trl/scripts/utils.py:359-386, trl/cli/commands/training.py:61-71
 * at f2cd5771). The warmup fraction goes in `warmup_steps` (transformers >= 5.0; 5.15 removed warmup_ratio); on older
 * transformers the launcher passes --warmup_ratio instead.
 */
export function trlYaml(stage: StagePlan, plan: ExportPlan): string {
  const { recipe, split } = stage;
  const sft = stage.stage === "sft";
  const masking = plan.trlSftFormat === "prompt-completion" ? "prompt/completion rows, the prompt masked from the loss" : "messages rows, the loss on every token (prompt included)";
  return flatYaml(
    [
      `vpo ${stage.stage} — TRL config written by \`vpo train export\` (VPO paper defaults${sft ? `; ${masking}` : ""}).`,
      `Written for TRL ${TRL_TARGET.trl}, transformers ${TRL_TARGET.transformers}, accelerate ${TRL_TARGET.accelerate}; keys checked from TRL ${TRL_TARGET.oldestTrl} and transformers ${TRL_TARGET.oldestTransformers}.`,
      `\`vpo train ${stage.stage}\` checks the installed versions first (trl>=0.29.0, transformers>=4.56.2, accelerate>=1.4.0, deepspeed) and passes warmup_ratio on transformers < 5.0.`,
      `Effective batch ${split.effective} = ${split.perDevice} per device × ${split.accumulation} accumulation × ${split.world} GPUs; ${stage.rows} rows, ~${stage.steps} steps.`,
      `Run from this folder: trl ${stage.stage} --config ${stage.stage}.yaml --accelerate_config accelerate.yaml`,
    ],
    {
      model: { model_name_or_path: sft ? plan.baseModel : (plan.dpoModel ?? TRL_OUTPUT.sft), dtype: "bfloat16" },
      dataset: { dataset_name: stage.stage, dataset_train_split: "train", max_length: plan.cutoff },
      method: sft ? { completion_only_loss: plan.trlSftFormat === "prompt-completion" } : { beta: recipe.beta },
      output: {
        output_dir: TRL_OUTPUT[stage.stage],
        logging_steps: stage.loggingSteps,
        save_strategy: "epoch",
        save_total_limit: 1,
        report_to: "none",
      },
      train: {
        ...trainerArguments(split, recipe, "warmup_steps"),
        gradient_checkpointing: true,
      },
    },
  );
}

/**
 * An Accelerate config for DeepSpeed ZeRO-3 over all GPUs of all nodes. Per-node values (machine_rank, the main
 * node's address) are overridden on the command line of each node, so one file serves the whole cluster.
 */
export function trlAccelerateConfig(plan: ExportPlan): string {
  const config: Record<string, unknown> = {
    compute_environment: "LOCAL_MACHINE",
    distributed_type: "DEEPSPEED",
    deepspeed_config: {
      deepspeed_multinode_launcher: "standard",
      offload_optimizer_device: "none",
      offload_param_device: "none",
      zero3_init_flag: true,
      zero3_save_16bit_model: true,
      zero_stage: 3,
    },
    mixed_precision: "bf16",
    num_machines: plan.nodes,
    num_processes: plan.gpusPerNode * plan.nodes,
    machine_rank: 0,
    rdzv_backend: "static",
    same_network: true,
    use_cpu: false,
  };
  if (plan.nodes > 1) Object.assign(config, { main_process_ip: "127.0.0.1", main_process_port: 29500 });
  return `# Accelerate config written by \`vpo train export\`: DeepSpeed ZeRO-3, ${plan.nodes} node(s) × ${plan.gpusPerNode} GPU(s).\n${stringify(config)}`;
}

function command(stage: StagePlan["stage"], plan: ExportPlan): string {
  const base = `trl ${stage} --config ${stage}.yaml --accelerate_config accelerate.yaml`;
  if (plan.nodes === 1) return base;
  return `${base} --num_machines ${plan.nodes} --num_processes ${plan.nodes * plan.gpusPerNode} --machine_rank $NODE_RANK --main_process_ip $MASTER_ADDR --main_process_port 29500`;
}

export const exportTrl: EngineExporter = async (dir, rows, plan) => {
  const files: string[] = [];
  const commands: string[] = [];
  const put = async (name: string, write: (path: string) => Promise<void>) => {
    await write(join(dir, name));
    files.push(name);
  };
  if (plan.stages.sft) await put("sft/train.jsonl", (p) => writeJsonl(p, rows.sft.map((r) => trlSftRow(r, plan.trlSftFormat))));
  if (plan.stages.dpo) await put("dpo/train.jsonl", (p) => writeJsonl(p, rows.pairs.map(trlDpoRow)));
  await put("accelerate.yaml", (p) => writeAtomic(p, trlAccelerateConfig(plan)));
  for (const stage of [plan.stages.sft, plan.stages.dpo]) {
    if (!stage) continue;
    await put(`${stage.stage}.yaml`, (p) => writeAtomic(p, trlYaml(stage, plan)));
    commands.push(command(stage.stage, plan));
  }
  return { engine: "trl", dir, files, commands };
};
