import { readFile } from "node:fs/promises";
import { UsageError } from "../errors.js";
import { planApiJob, runApiJob, type ApiJobOptions, type ApiJobPlan, type ApiJobResult } from "./api/run-api-job.js";
import type { Engine } from "./formats/plan.js";
import type { LocalEngine } from "./launch/engines.js";
import type { LaunchCommand } from "./launch/local-command.js";
import { planLocalRun, runLocalTraining, type LocalRunOptions, type LocalRunResult } from "./launch/run-local.js";

/** One training stage on the engine a config from `vpo train export` was written for (`vpo train sft|dpo`). */
export interface TrainingOptions
  extends Omit<LocalRunOptions, "engine" | "pollMs">,
    Pick<ApiJobOptions, "apiKey" | "from" | "job" | "pollMs" | "cancelOnStop" | "onEvent"> {
  /** Default: from the config (a YAML with `stage:` is LLaMA-Factory's, another YAML TRL's, a job spec names its provider). */
  engine?: Engine;
  /** The fine-tuning API's base URL (default: the provider's). */
  apiBaseUrl?: string;
}

export type TrainingPlan = { kind: "api"; engine: Engine; plan: ApiJobPlan } | { kind: "local"; engine: LocalEngine; command: LaunchCommand };
export type TrainingResult = { kind: "api"; engine: Engine; result: ApiJobResult } | { kind: "local"; engine: LocalEngine; result: LocalRunResult };

const isApiEngine = (engine: Engine): engine is "openai" | "together" => engine === "openai" || engine === "together";

/** llamafactory for a YAML with `stage:`, trl for another YAML, the provider of a `.job.json`. */
export async function inferEngine(config: string): Promise<Engine> {
  if (config.endsWith(".json")) return (await planApiJob({ config })).provider;
  const text = await readFile(config, "utf8").catch(() => "");
  return /^stage:\s*\w+/m.test(text) ? "llamafactory" : "trl";
}

/** The API job a spec describes, refused when it is another provider's or another stage's. */
async function apiPlan(options: TrainingOptions, engine: "openai" | "together"): Promise<ApiJobPlan> {
  const plan = await planApiJob({ config: options.config, baseUrl: options.apiBaseUrl, from: options.from });
  if (plan.provider !== engine) throw new UsageError(`${options.config} is a ${plan.provider} job spec, not ${engine}`);
  if (plan.spec.stage !== options.stage) throw new UsageError(`${options.config} is a ${plan.spec.stage} job; use vpo train ${plan.spec.stage}`);
  return plan;
}

/** What `runTraining` would do, doing nothing (`--dry-run`): the API upload and request, or the engine command. */
export async function planTraining(options: TrainingOptions): Promise<TrainingPlan> {
  const engine = options.engine ?? (await inferEngine(options.config));
  if (isApiEngine(engine)) return { kind: "api", engine, plan: await apiPlan(options, engine) };
  return { kind: "local", engine, command: await planLocalRun({ ...options, engine }) };
}

/**
 * Runs one training stage where its config says: a local engine CLI (followed through its trainer log and console)
 * or a fine-tuning API job (uploaded, created and polled). Resolves with the run's result and exit code; a failed
 * run does not throw (a missing engine CLI does: EngineNotInstalledError).
 */
export async function runTraining(options: TrainingOptions): Promise<TrainingResult> {
  const engine = options.engine ?? (await inferEngine(options.config));
  // pollMs is the API's status interval, not the trainer log's.
  if (!isApiEngine(engine)) return { kind: "local", engine, result: await runLocalTraining({ ...options, engine, pollMs: undefined }) };
  await apiPlan(options, engine);
  const result = await runApiJob({
    config: options.config,
    apiKey: options.apiKey,
    baseUrl: options.apiBaseUrl,
    from: options.from,
    job: options.job,
    pollMs: options.pollMs,
    stop: options.stop,
    cancelOnStop: options.cancelOnStop,
    onProgress: options.onProgress,
    onEvent: options.onEvent,
    logger: options.logger,
  });
  return { kind: "api", engine, result };
}
