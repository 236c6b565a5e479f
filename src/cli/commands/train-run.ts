import { readFile } from "node:fs/promises";
import { Command, Option } from "commander";
import { EngineNotInstalledError, UsageError } from "../../errors.js";
import { planApiJob, runApiJob } from "../../train/api/run-api-job.js";
import { ENGINES, type Engine } from "../../train/formats/plan.js";
import type { Stage } from "../../train/hyperparams.js";
import { shellLine } from "../../train/launch/local-command.js";
import { planLocalRun, runLocalTraining } from "../../train/launch/run-local.js";
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

/** llamafactory for a YAML with `stage:`, trl for another YAML, the provider of a `.job.json`. */
async function inferEngine(config: string): Promise<Engine> {
  if (config.endsWith(".json")) return (await planApiJob({ config })).provider;
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

