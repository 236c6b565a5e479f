import { mkdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import { silentLogger, type Logger } from "../../util/logger.js";
import type { Stage } from "../hyperparams.js";
import { findManifest } from "../manifest.js";
import { EngineNotInstalledError } from "../../errors.js";
import { findOnPath, LOCAL_ENGINES, type LocalEngine } from "./engines.js";
import { HfConsoleProgress } from "./hf-log-lines.js";
import { checkEngineVersions } from "./check-versions.js";
import { buildLaunchCommand, shellLine, type LaunchCommand, type Topology } from "./local-command.js";
import { RUN_RECORD_FILE, RunRecordWriter, type RunRecord } from "./run-record.js";
import { spawnEngine } from "./spawn-engine.js";
import { JsonlTail, progressFromTrainerLog, trainerLogRowSchema } from "./trainer-log.js";
import type { TrainingProgress } from "./training-progress.js";

export interface LocalRunOptions extends Topology {
  engine: LocalEngine;
  stage: Stage;
  config: string;
  onProgress?: (progress: TrainingProgress) => void;
  /** Every console line of the engine (also kept in `<output_dir>/vpo-train.log`). */
  onOutput?: (line: string) => void;
  /** Aborting forwards SIGINT to the engine: it stops and, for LLaMA-Factory/TRL, exits cleanly. */
  stop?: AbortSignal;
  /** Aborting kills the engine's whole process group. */
  abort?: AbortSignal;
  logger?: Logger;
  pollMs?: number;
  /**
   * Check the engine's installed trl/transformers/accelerate/deepspeed/llamafactory versions through its own CLI
   * (`trl env`, `llamafactory-cli env`) before launching, adapting the config or stopping (default true).
   */
  checkVersions?: boolean;
}

export interface LocalRunResult {
  command: LaunchCommand;
  exitCode: number;
  record: RunRecord;
  recordPath: string;
  logPath: string;
  /** The engine's last console lines, to show when it failed. */
  lastLines: string[];
}

/** The command a run would execute, without running it (`--dry-run`). */
export async function planLocalRun(options: Pick<LocalRunOptions, "engine" | "stage" | "config"> & Topology): Promise<LaunchCommand> {
  return buildLaunchCommand(options.engine, options.stage, options.config, options, await findManifest(options.config));
}

async function finalMetrics(outputDir: string): Promise<Record<string, number> | undefined> {
  // LLaMA-Factory saves the Trainer's metrics as train_results.json (and all_results.json) when training ends.
  for (const name of ["train_results.json", "all_results.json"]) {
    const text = await readFile(join(outputDir, name), "utf8").catch(() => undefined);
    if (!text) continue;
    try {
      const values = JSON.parse(text) as Record<string, unknown>;
      return Object.fromEntries(Object.entries(values).filter((e): e is [string, number] => typeof e[1] === "number"));
    } catch {
      // A half-written file from a crash: the progress rows still tell the story.
    }
  }
  return undefined;
}

/**
 * Runs one local training stage on a real engine CLI and follows it: progress from `<output_dir>/trainer_log.jsonl`
 * (LLaMA-Factory) or the Trainer's console output (TRL), a run record in `<output_dir>/vpo-run.json`, the engine's
 * console in `<output_dir>/vpo-train.log`. Resolves with the engine's exit code; never throws for a failed run.
 */
export async function runLocalTraining(options: LocalRunOptions): Promise<LocalRunResult> {
  const logger = options.logger ?? silentLogger;
  const planned = await planLocalRun(options);
  if (!findOnPath(planned.executable)) throw new EngineNotInstalledError(planned.executable, LOCAL_ENGINES[options.engine].install);
  // Before the output folder or the run record exist: a version that cannot run the config starts nothing.
  const versions = options.checkVersions === false ? undefined : await checkEngineVersions(planned);
  const command: LaunchCommand = versions ? { ...planned, args: [...planned.args, ...versions.args], notes: [...planned.notes, ...versions.notes] } : planned;
  for (const note of command.notes) logger.info(note);
  await mkdir(command.outputDir, { recursive: true });
  const recordPath = join(command.outputDir, RUN_RECORD_FILE);
  const logPath = join(command.outputDir, "vpo-train.log");
  const record = new RunRecordWriter(recordPath, {
    format: "vpo-train-run/1",
    engine: options.engine,
    stage: options.stage,
    status: "running",
    config: command.config,
    command: [command.executable, ...command.args],
    cwd: command.cwd,
    env: command.env,
    startedAt: new Date().toISOString(),
    model: command.outputDir,
    log: logPath,
    ...(versions ? { engineVersions: versions.installed.versions } : {}),
  });
  let last: TrainingProgress | undefined;
  const report = (p: TrainingProgress) => {
    last = p;
    record.progress(p);
    options.onProgress?.(p);
  };
  const lastLines: string[] = [];
  const consoleProgress = new HfConsoleProgress();
  const tail = new JsonlTail(join(command.outputDir, "trainer_log.jsonl"), (value) => {
    const row = trainerLogRowSchema.safeParse(value);
    if (row.success) report(progressFromTrainerLog(row.data));
  }, options.pollMs);
  const onLine = (line: string) => {
    lastLines.push(line);
    if (lastLines.length > 40) lastLines.shift();
    options.onOutput?.(line);
    if (options.engine !== "trl") return;
    const p = consoleProgress.feed(line);
    if (p) report(p);
  };
  const trainerLog = join(command.outputDir, "trainer_log.jsonl");
  // The engine would delete the stale log itself; doing it first means every row read belongs to this run.
  if (command.freshLog) await rm(trainerLog, { force: true });
  await tail.start({ fromStart: command.freshLog });
  let engine: ReturnType<typeof spawnEngine>;
  try {
    engine = spawnEngine(command, logPath, onLine);
  } catch (error) {
    await tail.stop();
    throw error;
  }
  // Listen before the first await: a Ctrl-C that lands while the record is written must still reach the engine.
  let interrupted = false;
  const onStop = () => {
    interrupted = true;
    engine.signal("SIGINT");
  };
  const onAbort = () => {
    interrupted = true;
    engine.signal("SIGKILL");
  };
  options.stop?.addEventListener("abort", onStop, { once: true });
  options.abort?.addEventListener("abort", onAbort, { once: true });
  if (options.stop?.aborted) onStop();
  await record.flush();
  logger.debug(`started: ${shellLine(command)}`);
  let exit: { exitCode: number };
  try {
    exit = await engine.exit;
  } catch (error) {
    await record.update({ status: "failed", error: (error as Error).message, endedAt: new Date().toISOString() });
    throw error;
  } finally {
    options.stop?.removeEventListener("abort", onStop);
    options.abort?.removeEventListener("abort", onAbort);
    await tail.stop();
  }
  const metrics = (await finalMetrics(command.outputDir)) ?? (Object.keys(consoleProgress.metrics).length ? consoleProgress.metrics : undefined);
  await record.update({
    status: exit.exitCode === 0 ? "succeeded" : interrupted ? "interrupted" : "failed",
    exitCode: exit.exitCode,
    endedAt: new Date().toISOString(),
    progress: last ? { ...last } : undefined,
    finalMetrics: metrics,
  });
  return { command, exitCode: exit.exitCode, record: record.current, recordPath, logPath, lastLines };
}
