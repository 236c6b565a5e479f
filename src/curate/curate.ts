import type { ClassifierFormat } from "../safety/classifier/types.js";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { TextModel } from "../model/types.js";
import { silentLogger, type Logger } from "../util/logger.js";
import { lengthHistograms } from "./histogram.js";
import { JsonlWriter } from "./jsonl-writer.js";
import { readAndFilter } from "./read-and-filter.js";
import { openInput } from "./readers/open-input.js";
import type { InputFormat } from "./readers/types.js";
import { reportMarkdown, stepCounts, type CurateReport } from "./report.js";
import { defaultCurateConfig, type CurateConfig } from "./rules/config.js";
import { createRuleFilter, loadLanguageDetector } from "./rules/rule-filter.js";
import { buildSafetyPool, type SafetyPool } from "../safety/safety-pool.js";
import type { CurationScreen } from "../safety/curation-screen.js";
import { sampleAndSplit, splitPools, type SampledQuery } from "./sample.js";
import { selfBleuFilter } from "../self-bleu/self-bleu-filter.js";
import { emptyResult } from "../self-bleu/types.js";
import { writeCuratedOutputs } from "./write-outputs.js";

export type CuratePhase = "read" | "self-bleu" | "safety-judge";

export interface CurateProgress {
  phase: CuratePhase;
  done: number;
  total: number;
}

export interface CurateOptions {
  input: string;
  outDir: string;
  /** The query field of CSV/JSON/Parquet rows (default: prompt, query, text or caption). */
  column?: string;
  format?: InputFormat;
  /** Thresholds and sizes (curate.yaml); defaults when omitted. */
  config?: CurateConfig;
  /** Apply the rule filters (default true). */
  rules?: boolean;
  /** Build the safety pool (default true); off, every kept query is general. */
  safety?: boolean;
  /** Run the self-BLEU filter (default true, at config.selfBleu). */
  selfBleu?: boolean;
  /** Deterministic screen used for safety candidates when the input has no Detoxify columns. */
  safetyScreen?: CurationScreen;
  /** LLM that re-checks safety candidates. */
  safetyJudge?: TextModel;
  /** The safety judge is a safety classifier of this format (default: detected from its model name). */
  safetyJudgeFormat?: ClassifierFormat;
  logger?: Logger;
  onProgress?: (progress: CurateProgress) => void;
  signal?: AbortSignal;
}

/**
 * Curates a query log into SFT and DPO query sets: read → normalise → deduplicate → rules → self-BLEU → safety pool
 * → seeded sample and split. Writes kept.jsonl, dropped.jsonl, sft.jsonl, dpo.jsonl, report.json and report.md
 * into outDir (safety-judge.jsonl too with a judge) and returns the report.
 */
export async function curate(options: CurateOptions): Promise<CurateReport> {
  const started = Date.now();
  const config = options.config ?? defaultCurateConfig();
  const logger = options.logger ?? silentLogger;
  const useRules = options.rules ?? true;
  const useSafety = options.safety ?? true;
  const tau = options.selfBleu === false ? null : config.selfBleu;
  const warnings: string[] = [];
  const source = await openInput(options.input, { column: options.column, format: options.format });
  mkdirSync(options.outDir, { recursive: true });
  const rules = useRules ? createRuleFilter(config.rules, config.rules.languages.length ? await loadLanguageDetector() : undefined) : undefined;

  const dropped = new JsonlWriter(join(options.outDir, "dropped.jsonl"));
  try {
    return await curateInto(options, { started, config, logger, useRules, useSafety, tau, warnings, source, rules, dropped });
  } catch (error) {
    await dropped.discard();
    throw error;
  }
}

/** What curate() set up, handed to the steps. */
interface CurateRun {
  started: number;
  config: CurateConfig;
  logger: Logger;
  useRules: boolean;
  useSafety: boolean;
  tau: number | null;
  warnings: string[];
  source: Awaited<ReturnType<typeof openInput>>;
  rules: ReturnType<typeof createRuleFilter> | undefined;
  dropped: JsonlWriter;
}

async function curateInto(options: CurateOptions, { started, config, logger, useRules, useSafety, tau, warnings, source, rules, dropped }: CurateRun): Promise<CurateReport> {
  const read = await readAndFilter(source, { rules, dropped, signal: options.signal, onProgress: (done, total) => options.onProgress?.({ phase: "read", done, total }) });
  const { survivors, counts } = read;
  const readDone = Date.now();
  logger.info(`read ${counts.rows} rows: ${counts.malformed} malformed, ${counts.empty} empty, ${counts.duplicate} duplicates, ${counts.rows - counts.malformed - counts.empty - counts.duplicate - counts.survivors} dropped by rules, ${counts.survivors} left`);
  if (counts.malformed) warnings.push(`${counts.malformed} malformed rows (listed in report.json, all in dropped.jsonl)`);
  if (counts.recoded) warnings.push(`${counts.recoded} rows were not valid UTF-8 and were read as Windows-1252`);

  const bleu =
    tau === null
      ? emptyResult(survivors.corpus.size)
      : await selfBleuFilter(survivors.corpus, tau, { signal: options.signal, onProgress: (p) => options.onProgress?.({ phase: "self-bleu", done: p.done, total: p.total }) });
  const selfBleuDone = Date.now();
  const keptIds: number[] = [];
  for (let s = 0; s < survivors.corpus.size; s++) {
    const similar = bleu.similarTo[s]!;
    if (similar < 0) keptIds.push(s);
    else {
      const line = survivors.lines.get(s);
      await dropped.write({ index: survivors.inputIndex.get(s), ...(line ? { line } : {}), query: survivors.queries.get(s), reason: "self-bleu", similarTo: survivors.inputIndex.get(similar), bleu: bleu.bleu[s] });
    }
  }
  await dropped.close();
  if (tau !== null) logger.info(`self-BLEU (τ = ${tau}): kept ${keptIds.length} of ${survivors.corpus.size}`);

  let pool: SafetyPool | undefined;
  let note: string | undefined;
  if (useSafety) {
    const hasDetoxify = source.detoxifyColumns.length > 0;
    if (!hasDetoxify && !options.safetyScreen) {
      note = options.safetyJudge
        ? "No Detoxify columns and no safety screen: the LLM judge screened kept queries itself, so the safety pool comes only from the LLM re-check."
        : "No Detoxify columns, no safety screen and no --safety-judge: the safety pool is empty. The safety pool comes only from Detoxify columns or the LLM re-check (--safety-judge-*).";
      if (options.safetyJudge) logger.info(note);
      else warnings.push(note);
    }
    pool = await buildSafetyPool(
      keptIds.map((s) => ({ index: survivors.inputIndex.get(s), query: survivors.queries.get(s), ...(Number.isNaN(survivors.toxicity[s]) ? {} : { toxicity: survivors.toxicity[s] }) })),
      {
        hasDetoxify,
        detoxifyThreshold: config.safety.detoxifyThreshold,
        screen: options.safetyScreen,
        judge: options.safetyJudge,
        ...(options.safetyJudgeFormat ? { judgeFormat: options.safetyJudgeFormat } : {}),
        target: config.sampling.safety,
        judgeMaxChecks: config.safety.judgeMaxChecks,
        judgeConcurrency: config.safety.judgeConcurrency,
        seed: config.sampling.seed,
        judgeLog: options.safetyJudge ? join(options.outDir, "safety-judge.jsonl") : undefined,
        logger,
        signal: options.signal,
        onProgress: (done, total) => options.onProgress?.({ phase: "safety-judge", done, total }),
      },
    );
  }
  const safetyDone = Date.now();

  const { general, safety, statusCounts } = splitPools(keptIds.map((s) => survivors.inputIndex.get(s)), pool, options.safetyJudge !== undefined);
  const sampled = sampleAndSplit(general, safety, config.sampling);
  for (const pool of useSafety ? (["general", "safety"] as const) : (["general"] as const)) {
    const want = config.sampling[pool];
    if (sampled.available[pool] < want) warnings.push(`only ${sampled.available[pool]} ${pool} queries available for ${want} requested`);
  }

  const outputs = await writeCuratedOutputs(options.outDir, survivors, keptIds, sampled, pool);
  const sets = { kept: keptIds, sft: sampled.sft.map((q) => keptIds[q.kept]!), dpo: sampled.dpo.map((q) => keptIds[q.kept]!) };
  const words: Record<string, Record<string, number>> = { input: read.words.toJSON() };
  const chars: Record<string, Record<string, number>> = { input: read.chars.toJSON() };
  for (const [name, ids] of Object.entries(sets)) [words[name], chars[name]] = lengthHistograms(ids.map((s) => survivors.queries.get(s)));
  const countSplit = (list: SampledQuery[]) => ({ general: list.filter((q) => q.pool === "general").length, safety: list.filter((q) => q.pool === "safety").length });
  const report: CurateReport = {
    input: { path: options.input, format: source.format, ...(source.column ? { column: source.column } : {}), detoxifyColumns: source.detoxifyColumns, rows: counts.rows, bytes: source.bytes },
    settings: { rules: useRules, safety: useSafety, selfBleu: tau, safetyJudge: options.safetyJudge ? options.safetyJudge.info.id : null, config },
    steps: stepCounts(counts, keptIds.length),
    kept: keptIds.length,
    malformed: { count: counts.malformed, rows: read.malformedRows },
    recoded: { count: counts.recoded, lines: read.recodedLines },
    safety: {
      source: pool ? pool.source : "disabled",
      candidates: pool?.candidates ?? 0,
      judged: pool?.judged ?? 0,
      reusedVerdicts: pool?.reused ?? 0,
      confirmed: statusCounts.confirmed,
      cleared: statusCounts.cleared,
      judgeFailed: statusCounts["judge-failed"],
      ...(note ? { note } : {}),
    },
    sampling: {
      seed: config.sampling.seed,
      sftShare: config.sampling.sftShare,
      requested: { general: config.sampling.general, safety: config.sampling.safety },
      available: sampled.available,
      sampled: sampled.sampled,
      sft: countSplit(sampled.sft),
      dpo: countSplit(sampled.dpo),
    },
    histograms: { words, chars },
    ...(tau === null ? {} : { selfBleuVerifiedPairs: bleu.verified }),
    timingMs: { read: readDone - started, selfBleu: selfBleuDone - readDone, safety: safetyDone - selfBleuDone, write: 0, total: 0 },
    warnings,
    outputs,
  };
  report.timingMs.total = Date.now() - started;
  report.timingMs.write = report.timingMs.total - (safetyDone - started);
  writeFileSync(join(options.outDir, "report.json"), `${JSON.stringify(report, null, 2)}\n`);
  writeFileSync(join(options.outDir, "report.md"), reportMarkdown(report));
  return report;
}
