import { Command, Option } from "commander";
import { EngineNotInstalledError, UsageError } from "../../errors.js";
import { loadTemplate } from "../../optimize/template.js";
import { planApiJob, runApiJob } from "../../train/api/run-api-job.js";
import { exportTrainingData, type ExportReport } from "../../train/export.js";
import { ENGINES, type Engine } from "../../train/formats/plan.js";
import type { Stage, StageRecipe } from "../../train/hyperparams.js";
import { planLocalRun, runLocalTraining } from "../../train/launch/run-local.js";
import { shellLine } from "../../train/launch/local-command.js";
import { loggerFor, type GlobalFlags } from "../context.js";
import { interruptSignals } from "../interrupt.js";
import { parseInteger, parseNumber } from "../options.js";
import { createTrainingProgressView, describeProgress } from "../training-progress-view.js";
import type { Logger } from "../../util/logger.js";

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

interface RunFlags extends GlobalFlags {
  engine?: Engine;
  config: string;
  gpus?: number;
  nodes?: number;
  nodeRank?: number;
  masterAddr?: string;
  masterPort?: number;
  dryRun?: boolean;
  apiKey?: string;
  apiBaseUrl?: string;
  from?: string;
  job?: string;
  pollInterval: number;
  cancelOnInterrupt?: boolean;
}

/** Global flags may follow a sub-command too (vpo train sft … -v). */
function withGlobalFlags(command: Command): Command {
  return command
    .addOption(new Option("-v, --verbose", "debug logging (and the engine's own output)").hideHelp())
    .addOption(new Option("-q, --quiet", "only warnings and errors").hideHelp())
    .addOption(new Option("--log-json", "log lines as JSON").hideHelp())
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
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

function exportCommand(): Command {
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
    .addOption(new Option("--trl-sft-format <format>", "TRL SFT rows: messages, or prompt-completion (masks the prompt from the loss, like LLaMA-Factory)").choices(["messages", "prompt-completion"]).default("messages"))
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

/** llamafactory for a YAML with `stage:`, trl for another YAML, the provider of a `.job.json`. */
async function inferEngine(config: string): Promise<Engine> {
  if (config.endsWith(".json")) return (await planApiJob({ config })).provider;
  const { readFile } = await import("node:fs/promises");
  const text = await readFile(config, "utf8").catch(() => "");
  return /^stage:\s*\w+/m.test(text) ? "llamafactory" : "trl";
}

async function runStage(stage: Stage, flags: RunFlags, cmd: Command): Promise<void> {
  const globals = cmd.optsWithGlobals() as GlobalFlags;
  const logger = loggerFor(globals);
  const engine = flags.engine ?? (await inferEngine(flags.config));
  const label = `${stage} (${engine})`;
  if (engine === "openai" || engine === "together") {
    const plan = await planApiJob({ config: flags.config, baseUrl: flags.apiBaseUrl, from: flags.from });
    if (plan.provider !== engine) throw new UsageError(`${flags.config} is a ${plan.provider} job spec, not ${engine}`);
    if (plan.spec.stage !== stage) throw new UsageError(`${flags.config} is a ${plan.spec.stage} job; use vpo train ${plan.spec.stage}`);
    if (flags.dryRun) {
      process.stdout.write(`upload ${plan.trainingFile} (${plan.bytes} bytes) to ${plan.baseUrl}\ncreate ${engine} ${stage} job: ${JSON.stringify({ ...plan.request, training_file: "<uploaded file id>" })}\nrecord: ${plan.recordPath}\n`);
      return;
    }
    const view = globals.quiet ? undefined : createTrainingProgressView(label);
    const signals = interruptSignals(() => logger.warn(flags.cancelOnInterrupt ? "cancelling the job…" : "stopped following; the job keeps running on the provider"));
    try {
      const result = await runApiJob({
        config: flags.config,
        apiKey: flags.apiKey,
        baseUrl: flags.apiBaseUrl,
        from: flags.from,
        job: flags.job,
        pollMs: flags.pollInterval * 1000,
        stop: signals.stop,
        cancelOnStop: flags.cancelOnInterrupt,
        onProgress: (p) => view?.update(p),
        onEvent: (e) => logger.info(`event: ${e.message}`, e.level && e.level !== "info" ? { level: e.level } : undefined),
        logger,
      });
      view?.stop();
      if (result.status === "succeeded") logger.info(`${label} succeeded: model ${result.model ?? "(no id reported)"} (job ${result.job?.id}) → ${result.recordPath}`);
      else if (result.status === "interrupted") logger.warn(`interrupted; run record ${result.recordPath}${flags.cancelOnInterrupt ? "" : " (follow again with --job JOB_ID)"}`);
      else logger.error(`${label} failed: ${result.error}`);
      process.exitCode = result.exitCode;
    } finally {
      view?.stop();
      signals.dispose();
    }
    return;
  }
  const topology = { gpusPerNode: flags.gpus, nodes: flags.nodes, nodeRank: flags.nodeRank, masterAddr: flags.masterAddr, masterPort: flags.masterPort };
  if (flags.dryRun) {
    const command = await planLocalRun({ engine, stage, config: flags.config, ...topology });
    for (const note of command.notes) logger.info(note);
    process.stdout.write(`${shellLine(command)}\n`);
    return;
  }
  const view = globals.quiet ? undefined : createTrainingProgressView(label);
  const signals = interruptSignals(() => logger.warn("interrupt sent to the engine; Ctrl-C again to kill it"));
  try {
    const result = await runLocalTraining({
      engine,
      stage,
      config: flags.config,
      ...topology,
      stop: signals.stop,
      abort: signals.abort,
      logger,
      onProgress: (p) => view?.update(p),
      onOutput: globals.verbose ? (line) => process.stderr.write(`${line}\n`) : undefined,
    });
    view?.stop();
    const last = result.record.progress ? ` at ${describeProgress(result.record.progress as never)}` : "";
    if (result.exitCode === 0) logger.info(`${label} finished${last}; model in ${result.command.outputDir}; run record ${result.recordPath}`);
    else {
      if (!globals.verbose) for (const line of result.lastLines.slice(-20)) process.stderr.write(`  | ${line}\n`);
      logger.error(`${result.command.executable} exited with code ${result.exitCode}${last}; full log ${result.logPath}`);
    }
    process.exitCode = result.exitCode;
  } catch (error) {
    if (error instanceof EngineNotInstalledError) {
      logger.error(error.message);
      process.exitCode = 127;
      return;
    }
    throw error;
  } finally {
    view?.stop();
    signals.dispose();
  }
}

function runCommand(stage: Stage): Command {
  const command = new Command(stage)
    .description(stage === "sft" ? "run SFT on a real engine (llamafactory-cli, trl) or a fine-tuning API, following its progress" : "run DPO (from the SFT result) on a real engine or a fine-tuning API")
    .addOption(new Option("--engine <name>", "llamafactory, trl, openai or together (default: from the config)").choices([...ENGINES]))
    .requiredOption("-c, --config <file>", "a config from vpo train export: <engine>/<stage>.yaml or <provider>/<stage>.job.json")
    .addOption(new Option("--gpus <n>", "GPUs on this node (default: detected)").argParser(parseInteger(1)))
    .addOption(new Option("--nodes <n>", "nodes in the job (NNODES)").argParser(parseInteger(1)))
    .addOption(new Option("--node-rank <r>", "this node's rank (NODE_RANK)").argParser(parseInteger(0)))
    .option("--master-addr <host>", "rank-0 node's address (MASTER_ADDR)")
    .addOption(new Option("--master-port <port>", "rendezvous port (MASTER_PORT, default 29500)").argParser(parseInteger(1)))
    .option("--dry-run", "print what would run, run nothing")
    .option("--api-key <key>", "fine-tuning API key (env OPENAI_API_KEY / TOGETHER_API_KEY)")
    .option("--api-base-url <url>", "fine-tuning API base URL (env OPENAI_BASE_URL / TOGETHER_BASE_URL)")
    .option("--from <model|job>", "DPO on an API: the SFT result to start from (default: the SFT run record)")
    .option("--job <id>", "follow an existing API job instead of creating one")
    .addOption(new Option("--poll-interval <seconds>", "API status polling interval").argParser(parseNumber).default(10))
    .option("--cancel-on-interrupt", "Ctrl-C cancels the API job (default: stop following, the job keeps running)");
  return withGlobalFlags(command).action((flags: RunFlags, cmd: Command) => runStage(stage, flags, cmd));
}

export function trainCommand(): Command {
  return new Command("train")
    .description("export training data and configs, and launch and follow SFT/DPO runs on LLaMA-Factory, TRL or a fine-tuning API")
    .addCommand(exportCommand())
    .addCommand(runCommand("sft"))
    .addCommand(runCommand("dpo"));
}
