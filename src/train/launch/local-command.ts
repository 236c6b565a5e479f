import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { basename, dirname, isAbsolute, join, resolve } from "node:path";
import { parse } from "yaml";
import { InputError, UsageError } from "../../errors.js";
import type { Stage } from "../hyperparams.js";
import { splitBatch } from "../hyperparams.js";
import type { ExportManifest } from "../manifest.js";
import { detectGpuCount } from "./detect-gpus.js";
import { LOCAL_ENGINES, type LocalEngine } from "./engines.js";

/** Where and how many: GPUs on this node, nodes in the job, this node's rank and the rendezvous address. */
export interface Topology {
  gpusPerNode?: number;
  nodes?: number;
  nodeRank?: number;
  masterAddr?: string;
  masterPort?: number;
}

/** A fully resolved engine invocation: what `--dry-run` prints and what the launcher spawns. */
export interface LaunchCommand {
  engine: LocalEngine;
  stage: Stage;
  executable: string;
  args: string[];
  cwd: string;
  /** Only the variables vpo sets; the child inherits the rest of the environment. */
  env: Record<string, string>;
  config: string;
  outputDir: string;
  /** LLaMA-Factory deletes an old trainer_log.jsonl when it overwrites the output folder, so progress starts afresh. */
  freshLog: boolean;
  notes: string[];
}

/** The config file as a mapping of training arguments (InputError when missing or not a YAML mapping). */
export async function readConfig(path: string): Promise<Record<string, unknown>> {
  const text = await readFile(path, "utf8").catch((error: NodeJS.ErrnoException) => {
    throw new InputError(error.code === "ENOENT" ? "no such config file" : error.message, path);
  });
  let value: unknown;
  try {
    value = parse(text);
  } catch (error) {
    throw new InputError(`not valid YAML: ${(error as Error).message.split("\n")[0]}`, path);
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new InputError("expected a YAML mapping of training arguments", path);
  return value as Record<string, unknown>;
}

/**
 * Resolves `vpo train sft|dpo --engine llamafactory|trl --config FILE` into the engine's own command line. When the
 * GPU count differs from the one the export was split for, the per-device batch and accumulation are re-derived so
 * the paper's effective batch holds, and passed as overrides (LLaMA-Factory `key=value`, TRL `--key value`).
 */
export async function buildLaunchCommand(engine: LocalEngine, stage: Stage, configPath: string, topology: Topology, manifest?: ExportManifest): Promise<LaunchCommand> {
  const config = await readConfig(configPath);
  const cwd = resolve(dirname(configPath));
  const notes: string[] = [];
  const configStage = config.stage;
  if (engine === "llamafactory" && configStage !== undefined && configStage !== stage) throw new UsageError(`${configPath} is a "${String(configStage)}" config; use vpo train ${String(configStage)}`);
  const output = typeof config.output_dir === "string" ? config.output_dir : undefined;
  if (!output) throw new InputError("the config has no output_dir", configPath);
  const outputDir = isAbsolute(output) ? output : join(cwd, output);

  const nodes = topology.nodes ?? manifest?.stages[stage]?.nodes ?? 1;
  const detected = topology.gpusPerNode === undefined ? detectGpuCount() : undefined;
  const gpus = topology.gpusPerNode ?? detected ?? manifest?.stages[stage]?.gpusPerNode ?? 1;
  if (topology.gpusPerNode === undefined) notes.push(detected ? `${detected} GPU(s) detected on this node` : `no GPU detected; assuming ${gpus} per node (pass --gpus)`);
  const world = gpus * nodes;
  const overrides: Record<string, number> = {};
  const planned = manifest?.stages[stage];
  if (planned && planned.gpusPerNode * planned.nodes !== world) {
    const split = splitBatch(planned.effectiveBatch, world, planned.maxPerDeviceBatch);
    overrides.per_device_train_batch_size = split.perDevice;
    overrides.gradient_accumulation_steps = split.accumulation;
    notes.push(`config was split for ${planned.gpusPerNode * planned.nodes} GPUs; for ${world}: ${split.perDevice} per device × ${split.accumulation} accumulation = effective batch ${split.effective}`);
  }
  if (nodes > 1 && (topology.nodeRank === undefined || !topology.masterAddr)) throw new UsageError("multi-node training needs --node-rank and --master-addr (the rank-0 node's address) on every node");
  const port = String(topology.masterPort ?? 29500);

  if (engine === "llamafactory") {
    const env: Record<string, string> = {};
    if (world > 1) Object.assign(env, { FORCE_TORCHRUN: "1", NPROC_PER_NODE: String(gpus) });
    if (nodes > 1) Object.assign(env, { NNODES: String(nodes), NODE_RANK: String(topology.nodeRank), MASTER_ADDR: topology.masterAddr!, MASTER_PORT: port });
    else if (world > 1 && topology.masterPort) env.MASTER_PORT = port;
    const args = ["train", basename(configPath), ...Object.entries(overrides).map(([k, v]) => `${k}=${v}`)];
    return { engine, stage, executable: LOCAL_ENGINES[engine].executable, args, cwd, env, config: resolve(configPath), outputDir, freshLog: config.overwrite_output_dir === true, notes };
  }
  const args = [stage, "--config", basename(configPath)];
  if (existsSync(join(cwd, "accelerate.yaml"))) args.push("--accelerate_config", "accelerate.yaml");
  args.push("--num_processes", String(world), "--num_machines", String(nodes));
  if (nodes > 1) args.push("--machine_rank", String(topology.nodeRank), "--main_process_ip", topology.masterAddr!, "--main_process_port", port);
  for (const [k, v] of Object.entries(overrides)) args.push(`--${k}`, String(v));
  return { engine, stage, executable: LOCAL_ENGINES[engine].executable, args, cwd, env: {}, config: resolve(configPath), outputDir, freshLog: false, notes };
}

/** The command as one shell line (for --dry-run and the run record). */
export function shellLine(command: LaunchCommand): string {
  const quote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, "'\\''")}'`);
  const env = Object.entries(command.env).map(([k, v]) => `${k}=${quote(v)} `).join("");
  return `cd ${quote(command.cwd)} && ${env}${[command.executable, ...command.args].map(quote).join(" ")}`;
}
