import { Command, Option } from "commander";
import { UsageError } from "../../errors.js";
import { loadTemplate } from "../../optimize/template.js";
import { exportTrainingData, type ExportReport } from "../../train/export.js";
import { ENGINES, type Engine } from "../../train/formats/plan.js";
import type { StageRecipe } from "../../train/hyperparams.js";
import type { Logger } from "../../util/logger.js";
import { loggerFor, type GlobalFlags } from "../context.js";
import { parseInteger, parseNumber } from "../options.js";
import { withGlobalFlags } from "../subcommand.js";

interface ExportFlags extends GlobalFlags {
  engine: string[];
  sft?: string;
  pairs?: string;
  out: string;
  gpus: number;
  nodes: number;
  baseModel?: string;
  dpoModel?: string;
  apiModel?: string;
  cutoff: number;
  tokenizer?: string;
  template: string;
  trlSftFormat: "messages" | "prompt-completion";
  sftLr?: number;
  sftEpochs?: number;
  sftBatch?: number;
  dpoLr?: number;
  dpoEpochs?: number;
  dpoBatch?: number;
  dpoBeta?: number;
  json?: boolean;
}

function engineList(values: string[]): Engine[] {
  const names = values.flatMap((v) => v.split(",")).map((v) => v.trim()).filter(Boolean);
  const engines = names.includes("all") ? [...ENGINES] : names;
  for (const e of engines) if (!(ENGINES as readonly string[]).includes(e)) throw new UsageError(`unknown engine "${e}": use ${ENGINES.join(", ")} or all`);
  return [...new Set(engines)] as Engine[];
}

function printExportReport(report: ExportReport, logger: Logger): void {
  for (const [stage, s] of Object.entries(report.stages)) {
    const reasons = Object.entries(s.byReason).map(([r, n]) => `${r} ${n}`).join(", ");
    logger.info(`${stage}: ${s.kept} of ${s.read} rows kept from ${s.file}${s.dropped ? `; ${s.dropped} dropped (${reasons})` : ""}; longest ${s.maxTokens} tokens (cutoff ${report.plan.cutoff})`);
  }
  for (const d of report.dropped.slice(0, 10)) logger.warn(`dropped ${d.file}:${d.line}: ${d.reason}: ${d.detail}`);
  if (report.dropped.length > 10) logger.warn(`… ${report.dropped.length - 10} more dropped rows in ${report.droppedFile}`);
  logger.info(`token counts: ${report.tokenizer.exact ? `exact (${report.tokenizer.source})` : report.tokenizer.source}`);
  for (const w of report.warnings) logger.warn(w);
  for (const stage of Object.values(report.plan.stages)) {
    logger.info(`${stage.stage}: effective batch ${stage.split.effective} = ${stage.split.perDevice} per device × ${stage.split.accumulation} accumulation × ${stage.split.world} GPUs, ~${stage.steps} steps`);
  }
  for (const e of report.engines) {
    logger.info(`${e.engine}: ${e.files.length} files in ${e.dir}`);
    for (const c of e.commands) logger.info(`  cd ${e.dir} && ${c}`);
  }
}

export function trainExportCommand(): Command {
  const command = new Command("export")
    .description("write SFT/DPO training data, configs and commands for LLaMA-Factory, TRL, OpenAI or Together")
    .requiredOption("--engine <names...>", `${ENGINES.join(", ")}, or all (several allowed)`)
    .option("--sft <file>", "sft.jsonl from the data pipeline ({query, prompt, …} a line)")
    .option("--pairs <file>", "pairs.jsonl from the data pipeline ({query, chosen, rejected, source, …} a line)")
    .requiredOption("-o, --out <dir>", "output folder (one sub-folder per engine)")
    .addOption(new Option("--gpus <n>", "GPUs per node on the training machine (the batch split holds the effective batch)").argParser(parseInteger(1)).default(8))
    .addOption(new Option("--nodes <n>", "nodes in the training job").argParser(parseInteger(1)).default(1))
    .option("--base-model <id|dir>", "SFT base model (default meta-llama/Meta-Llama-3-8B-Instruct)")
    .option("--dpo-model <id|dir>", "model DPO starts from (default: the SFT output of this export)")
    .option("--api-model <name>", "base model on the fine-tuning API (openai/together exports)")
    .addOption(new Option("--cutoff <tokens>", "longest training sequence; longer rows are dropped, not truncated").argParser(parseInteger(16)).default(2048))
    .option("--tokenizer <file>", "tokenizer.json, a model folder holding one, or a Llama 3 GGUF, for exact token counts")
    .addOption(new Option("--template <vpo|file>", "user-turn template; keep vpo so the model serves through vpo optimize").default("vpo"))
    .addOption(new Option("--trl-sft-format <format>", "TRL SFT rows: prompt-completion (masks the prompt from the loss, like LLaMA-Factory) or messages (trains on the prompt too)").choices(["prompt-completion", "messages"]).default("prompt-completion"))
    .addOption(new Option("--sft-lr <lr>", "SFT learning rate (paper 2e-6)").argParser(parseNumber))
    .addOption(new Option("--sft-epochs <n>", "SFT epochs (paper 5)").argParser(parseNumber))
    .addOption(new Option("--sft-batch <n>", "SFT effective batch (paper 64)").argParser(parseInteger(1)))
    .addOption(new Option("--dpo-lr <lr>", "DPO learning rate (paper 5e-7)").argParser(parseNumber))
    .addOption(new Option("--dpo-epochs <n>", "DPO epochs (paper 1)").argParser(parseNumber))
    .addOption(new Option("--dpo-batch <n>", "DPO effective batch (paper 16)").argParser(parseInteger(1)))
    .addOption(new Option("--dpo-beta <beta>", "DPO β (paper 0.1)").argParser(parseNumber))
    .option("--json", "print the export report as JSON on stdout");
  return withGlobalFlags(command).action(async (flags: ExportFlags, cmd: Command) => {
    const logger = loggerFor(cmd.optsWithGlobals());
    const recipe = (lr?: number, epochs?: number, batch?: number, beta?: number): Partial<StageRecipe> =>
      Object.fromEntries(Object.entries({ learningRate: lr, epochs, effectiveBatch: batch, beta }).filter(([, v]) => v !== undefined));
    const report = await exportTrainingData({
      sft: flags.sft,
      pairs: flags.pairs,
      out: flags.out,
      engines: engineList(flags.engine),
      gpusPerNode: flags.gpus,
      nodes: flags.nodes,
      baseModel: flags.baseModel,
      dpoModel: flags.dpoModel,
      apiModel: flags.apiModel,
      cutoff: flags.cutoff,
      tokenizer: flags.tokenizer,
      template: await loadTemplate(flags.template),
      trlSftFormat: flags.trlSftFormat,
      recipes: { sft: recipe(flags.sftLr, flags.sftEpochs, flags.sftBatch), dpo: recipe(flags.dpoLr, flags.dpoEpochs, flags.dpoBatch, flags.dpoBeta) },
      logger,
    });
    if (flags.json) process.stdout.write(`${JSON.stringify({ ...report, dropped: report.dropped.length }, null, 2)}\n`);
    printExportReport(report, logger);
  });
}

