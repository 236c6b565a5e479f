import { chmod } from "node:fs/promises";
import { join, resolve } from "node:path";
import { UsageError } from "../errors.js";
import { vpoTemplate, type PromptTemplate } from "../optimize/template.js";
import { silentLogger, type Logger } from "../util/logger.js";
import { pairRow, sftRow, type PairRow, type SftRow } from "./conversation.js";
import { exportLlamaFactory } from "./formats/llamafactory.js";
import { exportOpenAi } from "./formats/openai.js";
import type { Engine, EngineExport, EngineExporter, ExportPlan, StagePlan } from "./formats/plan.js";
import { exportTogether } from "./formats/together.js";
import { exportTrl } from "./formats/trl.js";
import { writeAtomic, writeJson, writeJsonl } from "./formats/write-files.js";
import { DEFAULT_CUTOFF, loggingSteps, PAPER_BASE_MODEL, PAPER_RECIPES, splitBatch, totalSteps, type Stage, type StageRecipe } from "./hyperparams.js";
import { MANIFEST_FILE, type ExportManifest } from "./manifest.js";
import { readRecordLines } from "./read-records.js";
import { pairRecordSchema, sftRecordSchema } from "./records.js";
import { loadTokenCounter, type TokenCounter } from "./tokens/token-counter.js";
import { RowValidator, type DropReason, type DroppedRow } from "./validate-rows.js";

const EXPORTERS: Record<Engine, EngineExporter> = { llamafactory: exportLlamaFactory, trl: exportTrl, openai: exportOpenAi, together: exportTogether };

export interface ExportOptions {
  /** `sft.jsonl` from the data pipeline. At least one of sft / pairs. */
  sft?: string;
  /** `pairs.jsonl` from the data pipeline. */
  pairs?: string;
  out: string;
  engines: readonly Engine[];
  /** GPUs per node on the training machine(s) (default 8, the paper's) and node count (default 1). */
  gpusPerNode?: number;
  nodes?: number;
  baseModel?: string;
  dpoModel?: string;
  apiModel?: string;
  cutoff?: number;
  /** A tokenizer.json, HF model folder or Llama 3 GGUF; or a ready counter. Without one, a documented estimate. */
  tokenizer?: string | TokenCounter;
  template?: PromptTemplate;
  recipes?: Partial<Record<Stage, Partial<StageRecipe>>>;
  trlSftFormat?: ExportPlan["trlSftFormat"];
  logger?: Logger;
  onProgress?: (p: { stage: Stage; read: number }) => void;
}

export interface StageSummary {
  file: string;
  read: number;
  kept: number;
  dropped: number;
  byReason: Partial<Record<DropReason, number>>;
  /** Longest kept row in tokens (whole conversation, chat format included). */
  maxTokens: number;
}

export interface ExportReport {
  out: string;
  manifest: string;
  dropped: DroppedRow[];
  droppedFile: string;
  stages: Partial<Record<Stage, StageSummary>>;
  plan: ExportPlan;
  engines: EngineExport[];
  tokenizer: { exact: boolean; source: string };
  warnings: string[];
}

async function collect<R, Row>(
  stage: Stage,
  file: string,
  read: AsyncGenerator<{ file: string; line: number; record: R } | { file: string; line: number; error: string }>,
  check: (record: R, source: { file: string; line: number }) => { ok: true; row: Row; tokens: number } | { ok: false; dropped: DroppedRow },
  dropped: DroppedRow[],
  onProgress?: ExportOptions["onProgress"],
): Promise<{ rows: Row[]; summary: StageSummary }> {
  const rows: Row[] = [];
  const summary: StageSummary = { file, read: 0, kept: 0, dropped: 0, byReason: {}, maxTokens: 0 };
  const drop = (d: DroppedRow) => {
    dropped.push(d);
    summary.dropped++;
    summary.byReason[d.reason] = (summary.byReason[d.reason] ?? 0) + 1;
  };
  for await (const item of read) {
    summary.read++;
    if (summary.read % 500 === 0) onProgress?.({ stage, read: summary.read });
    if ("error" in item) {
      drop({ file: item.file, line: item.line, reason: "malformed", detail: item.error });
      continue;
    }
    const checked = check(item.record, { file: item.file, line: item.line });
    if (!checked.ok) drop(checked.dropped);
    else {
      rows.push(checked.row);
      summary.kept++;
      summary.maxTokens = Math.max(summary.maxTokens, checked.tokens);
    }
  }
  onProgress?.({ stage, read: summary.read });
  return { rows, summary };
}

function stagePlan(stage: Stage, rows: number, options: ExportOptions, warnings: string[]): StagePlan {
  const recipe = { ...PAPER_RECIPES[stage], ...options.recipes?.[stage] };
  const gpus = options.gpusPerNode ?? 8;
  const nodes = options.nodes ?? 1;
  const split = splitBatch(recipe.effectiveBatch, gpus * nodes, recipe.maxPerDeviceBatch);
  if (split.effective !== recipe.effectiveBatch) {
    warnings.push(`${stage}: ${gpus * nodes} GPUs cannot split an effective batch of ${recipe.effectiveBatch} evenly; using ${split.effective}`);
  }
  const steps = totalSteps(rows, split.effective, recipe.epochs);
  return { stage, recipe, split, rows, steps, loggingSteps: loggingSteps(steps) };
}

/**
 * Reads the pipeline's sft.jsonl / pairs.jsonl, validates every row (dropped rows are reported with file, line and
 * reason), and writes the training files, configs and commands of each engine under `out/<engine>/`, with
 * `vpo-export.json` (what was written, batch splits) and `dropped.jsonl` at the root.
 */
export async function exportTrainingData(options: ExportOptions): Promise<ExportReport> {
  if (!options.sft && !options.pairs) throw new UsageError("nothing to export: give --sft FILE and/or --pairs FILE");
  if (!options.engines.length) throw new UsageError("no engine given");
  const logger = options.logger ?? silentLogger;
  const template = options.template ?? vpoTemplate;
  const cutoff = options.cutoff ?? DEFAULT_CUTOFF;
  const counter = typeof options.tokenizer === "object" ? options.tokenizer : await loadTokenCounter(options.tokenizer);
  const warnings: string[] = [];
  if (!counter.exact) warnings.push(`no tokenizer given: lengths are estimated (${counter.source}); pass --tokenizer path/to/tokenizer.json for exact Llama 3 counts`);
  const validator = new RowValidator(counter, cutoff);
  const dropped: DroppedRow[] = [];
  const stages: ExportReport["stages"] = {};
  let sftRows: SftRow[] = [];
  let pairRows: PairRow[] = [];
  if (options.sft) {
    const result = await collect("sft", options.sft, readRecordLines(options.sft, sftRecordSchema), (r, s) => validator.sft(sftRow(r, s, template), r.query), dropped, options.onProgress);
    sftRows = result.rows;
    stages.sft = result.summary;
  }
  if (options.pairs) {
    const result = await collect("dpo", options.pairs, readRecordLines(options.pairs, pairRecordSchema), (r, s) => validator.pair(pairRow(r, s, template), r.query), dropped, options.onProgress);
    pairRows = result.rows;
    stages.dpo = result.summary;
  }
  for (const [stage, summary] of Object.entries(stages)) {
    if (summary.kept === 0) throw new UsageError(`${summary.file}: no usable ${stage} rows (${summary.read} read, all dropped; see the reasons in ${join(options.out, "dropped.jsonl")})`);
  }
  await writeJsonl(join(options.out, "dropped.jsonl"), dropped);
  const plan: ExportPlan = {
    baseModel: options.baseModel ?? PAPER_BASE_MODEL,
    dpoModel: options.dpoModel,
    apiModel: options.apiModel,
    cutoff,
    gpusPerNode: options.gpusPerNode ?? 8,
    nodes: options.nodes ?? 1,
    stages: {
      ...(stages.sft ? { sft: stagePlan("sft", stages.sft.kept, options, warnings) } : {}),
      ...(stages.dpo ? { dpo: stagePlan("dpo", stages.dpo.kept, options, warnings) } : {}),
    },
    trlSftFormat: options.trlSftFormat ?? "prompt-completion",
  };
  const engines: EngineExport[] = [];
  for (const engine of options.engines) {
    const written = await EXPORTERS[engine](join(options.out, engine), { sft: sftRows, pairs: pairRows }, plan);
    // The commands as a script to run from anywhere (multi-node lines expect NODE_RANK and MASTER_ADDR set).
    await writeAtomic(join(written.dir, "commands.sh"), `#!/bin/sh\n# Written by vpo train export: the stages in order (SFT, then DPO from its output); stops at the first failure.\nset -e\ncd "$(dirname "$0")"\n${written.commands.join("\n")}\n`);
    await chmod(join(written.dir, "commands.sh"), 0o755);
    written.files.push("commands.sh");
    warnings.push(...(written.warnings ?? []));
    engines.push(written);
    logger.debug(`wrote ${engine} files`, { dir: join(options.out, engine) });
  }
  const manifest: ExportManifest & Record<string, unknown> = {
    format: "vpo-train-export/1",
    createdAt: new Date().toISOString(),
    template: { name: template.name, version: template.version },
    tokenizer: { exact: counter.exact, source: counter.source },
    cutoff,
    baseModel: plan.baseModel,
    inputs: stages,
    stages: Object.fromEntries(
      Object.values(plan.stages).map((s) => [
        s.stage,
        { ...s.recipe, rows: s.rows, steps: s.steps, perDevice: s.split.perDevice, accumulation: s.split.accumulation, actualBatch: s.split.effective, gpusPerNode: plan.gpusPerNode, nodes: plan.nodes },
      ]),
    ),
    engines: engines.map((e) => ({ engine: e.engine, dir: e.engine, files: e.files, commands: e.commands })),
    warnings,
  };
  const manifestPath = join(options.out, MANIFEST_FILE);
  await writeJson(manifestPath, manifest);
  return { out: resolve(options.out), manifest: manifestPath, dropped, droppedFile: join(options.out, "dropped.jsonl"), stages, plan, engines, tokenizer: { exact: counter.exact, source: counter.source }, warnings };
}
