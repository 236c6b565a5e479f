import { Command, Option } from "commander";
import { EngineNotInstalledError } from "../../errors.js";
import type { ApiJobResult } from "../../train/api/run-api-job.js";
import { ENGINES, type Engine } from "../../train/formats/plan.js";
import type { Stage } from "../../train/hyperparams.js";
import { shellLine } from "../../train/launch/local-command.js";
import type { LocalRunResult } from "../../train/launch/run-local.js";
import { inferEngine, planTraining, runTraining, type TrainingOptions, type TrainingPlan } from "../../train/run-training.js";
import type { Logger } from "../../util/logger.js";
import { loggerFor, type GlobalFlags } from "../context.js";
import { interruptSignals } from "../interrupt.js";
import { parseInteger, parseNumber } from "../options.js";
import { withGlobalFlags } from "../subcommand.js";
import { createTrainingProgressView, describeProgress } from "../training-progress-view.js";

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

function optionsFrom(stage: Stage, flags: RunFlags): TrainingOptions {
  return {
    stage,
    config: flags.config,
    engine: flags.engine,
    gpusPerNode: flags.gpus,
    nodes: flags.nodes,
    nodeRank: flags.nodeRank,
    masterAddr: flags.masterAddr,
    masterPort: flags.masterPort,
    apiKey: flags.apiKey,
    apiBaseUrl: flags.apiBaseUrl,
    from: flags.from,
    job: flags.job,
    pollMs: flags.pollInterval * 1000,
    cancelOnStop: flags.cancelOnInterrupt,
  };
}

function printPlan(planned: TrainingPlan, stage: Stage, logger: Logger): void {
  if (planned.kind === "api") {
    const { plan } = planned;
    process.stdout.write(`upload ${plan.trainingFile} (${plan.bytes} bytes) to ${plan.baseUrl}\ncreate ${planned.engine} ${stage} job: ${JSON.stringify({ ...plan.request, training_file: "<uploaded file id>" })}\nrecord: ${plan.recordPath}\n`);
    return;
  }
  for (const note of planned.command.notes) logger.info(note);
  process.stdout.write(`${shellLine(planned.command)}\n`);
}

function reportApi(label: string, result: ApiJobResult, flags: RunFlags, logger: Logger): void {
  if (result.status === "succeeded") logger.info(`${label} succeeded: model ${result.model ?? "(no id reported)"} (job ${result.job?.id}) → ${result.recordPath}`);
  else if (result.status === "interrupted") logger.warn(`interrupted; run record ${result.recordPath}${flags.cancelOnInterrupt ? "" : " (follow again with --job JOB_ID)"}`);
  else logger.error(`${label} failed: ${result.error}`);
}

function reportLocal(label: string, result: LocalRunResult, verbose: boolean, logger: Logger): void {
  const last = result.record.progress ? ` at ${describeProgress(result.record.progress as never)}` : "";
  if (result.exitCode === 0) logger.info(`${label} finished${last}; model in ${result.command.outputDir}; run record ${result.recordPath}`);
  else {
    if (!verbose) for (const line of result.lastLines.slice(-20)) process.stderr.write(`  | ${line}\n`);
    logger.error(`${result.command.executable} exited with code ${result.exitCode}${last}; full log ${result.logPath}`);
  }
}

async function runStage(stage: Stage, flags: RunFlags, cmd: Command): Promise<void> {
  const globals = cmd.optsWithGlobals() as GlobalFlags;
  const logger = loggerFor(globals);
  const engine = flags.engine ?? (await inferEngine(flags.config));
  const options = { ...optionsFrom(stage, flags), engine, logger };
  if (flags.dryRun) return printPlan(await planTraining(options), stage, logger);
  const api = engine === "openai" || engine === "together";
  const label = `${stage} (${engine})`;
  const view = globals.quiet ? undefined : createTrainingProgressView(label);
  const onInterrupt = api ? (flags.cancelOnInterrupt ? "cancelling the job…" : "stopped following; the job keeps running on the provider") : "interrupt sent to the engine; Ctrl-C again to kill it";
  const signals = interruptSignals(() => logger.warn(onInterrupt));
  try {
    const run = await runTraining({
      ...options,
      stop: signals.stop,
      abort: signals.abort,
      onProgress: (p) => view?.update(p),
      onEvent: (e) => logger.info(`event: ${e.message}`, e.level && e.level !== "info" ? { level: e.level } : undefined),
      onOutput: globals.verbose ? (line) => process.stderr.write(`${line}\n`) : undefined,
    });
    view?.stop();
    if (run.kind === "api") reportApi(label, run.result, flags, logger);
    else reportLocal(label, run.result, Boolean(globals.verbose), logger);
    process.exitCode = run.result.exitCode;
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

export function trainRunCommand(stage: Stage): Command {
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

