import { Command, Option } from "commander";
import { UsageError } from "../../errors.js";
import { evaluateBench, type BenchSystem, type EvaluateBenchOptions } from "../../eval/bench/evaluate-bench.js";
import type { SuiteRun } from "../../eval/bench/run-suite.js";
import { BUILTIN_SUITES } from "../../eval/bench/suite.js";
import { benchTables } from "../../eval/report/bench-document.js";
import { toMarkdown } from "../../eval/report/document.js";
import { loadChecklist } from "../../reward/checklist.js";
import { loggerFor, type GlobalFlags } from "../context.js";
import { targetFrom, type TargetFlags } from "../target-options.js";
import { addEvalBackendOptions, addSystemOption, openEvalReward, openEvalVideo, openSystems, phaseProgress, type EvalBackendFlags } from "../eval-systems.js";
import { interruptSignals } from "../interrupt.js";
import { addQueueOptions, openQueueFromFlags, type QueueFlags } from "../pipeline-backends.js";
import { parseInteger, parseNumber } from "../options.js";

export interface VideoEvalFlags extends GlobalFlags, EvalBackendFlags, QueueFlags, TargetFlags {
  suite: string;
  system?: string[];
  limit?: number;
  seed: number;
  concurrency: number;
  retryFailed?: boolean;
  scorerCmd?: string;
  scorerDimension?: string[];
  scorerTimeout: number;
  json?: boolean;
}

/** The options of every suite that renders and scores videos (bench, iterative). */
export function addVideoEvalOptions(command: Command): Command {
  command
    .requiredOption("--suite <name|file>", `${BUILTIN_SUITES.join(" | ")} | FILE (.txt, .json, .jsonl; MonetBench fields content/challenge accepted)`)
    .requiredOption("--out <dir>", "run folder: results.jsonl, report.json, report.md, report.html; re-running the same command resumes")
    .addOption(new Option("--limit <n>", "a seeded sample of n queries (default: all)").argParser(parseInteger(1)))
    .addOption(new Option("--seed <n>", "seed of the sample, the optimizers' sampling, the videos and the bootstrap").argParser(parseInteger(0)).default(0))
    .addOption(new Option("-c, --concurrency <n>", "optimizer requests at once").argParser(parseInteger(1)).default(8))
    .addOption(new Option("--retry-failed", "redo rows whose optimizer, video or reward failed"))
    .addOption(new Option("--scorer-cmd <cmd>", "a VBench-style evaluator run per system and dimension over a folder of videos: {videos_dir}, {dimension}, {system}; prints per-video JSON"))
    .addOption(new Option("--scorer-dimension <name>", "dimension(s) for --scorer-cmd on a suite file (built-in suites use their VBench dimension)").argParser((v: string, prev: string[] = []) => [...prev, v]))
    .addOption(new Option("--scorer-timeout <seconds>", "per --scorer-cmd run").argParser(parseNumber).default(21600))
    .addOption(new Option("--json", "print report.json instead of the table"));
  addSystemOption(command);
  return addQueueOptions(addEvalBackendOptions(command));
}

type Common = Omit<EvaluateBenchOptions, "systems">;

/** Opens the backends and systems the flags name, runs one suite with progress and Ctrl-C handling, prints its table. */
export async function runVideoEval(self: Command, label: string, run: (common: Common, systems: BenchSystem[]) => Promise<SuiteRun>): Promise<void> {
  const flags = self.optsWithGlobals<VideoEvalFlags>();
  const logger = loggerFor(flags);
  // With --queue the workers render (and score, unless a --scorer-cmd does it here over the shared cache).
  const queued = await openQueueFromFlags(flags, logger, { video: true, reward: !flags.scorerCmd });
  const video = queued ? queued.video : openEvalVideo(flags, logger);
  if (!video) throw new UsageError("no video backend: pass --video-cmd or --video-url");
  const { reward, vlm } = queued ? { reward: queued.reward, vlm: undefined } : await openEvalReward(flags, logger);
  if (!reward && !flags.scorerCmd) throw new UsageError("no scorer: pass --reward-cmd, --reward-url, --vlm-base-url/--vlm-model, or --scorer-cmd");
  const { systems, models } = await openSystems(flags.system, logger, await targetFrom(flags));
  const progress = phaseProgress(label, flags.quiet);
  const signals = interruptSignals(() => logger.warn("stopping: letting in-flight rows finish (Ctrl-C again to abort them; a re-run resumes)"));
  try {
    const result = await run(
      {
        suite: flags.suite,
        out: flags.out,
        video,
        reward,
        checklist: loadChecklist(flags.checklist),
        ...(flags.scorerCmd ? { dimensionScorer: { command: flags.scorerCmd, timeoutMs: flags.scorerTimeout * 1000, ...(flags.scorerDimension ? { dimensions: flags.scorerDimension } : {}) } } : {}),
        limit: flags.limit,
        seed: flags.seed,
        concurrency: flags.concurrency,
        retryFailed: flags.retryFailed,
        onProgress: progress.update,
        stop: signals.stop,
        signal: signals.abort,
      },
      systems,
    );
    progress.stop();
    const t = benchTables(result.report);
    if (flags.json) process.stdout.write(`${JSON.stringify(result.report, null, 2)}\n`);
    else process.stdout.write(toMarkdown({ title: `${label}: ${result.report.suite}`, sections: [{ title: "Scores", tables: [t.means, ...(t.diff ? [t.diff] : [])] }] }));
    if (result.report.iterative) logger.info(`early stop: ${result.report.iterative.earlyStopped} of ${result.report.iterative.optimized} queries stopped changing before iteration ${result.report.iterative.iterations}`);
    logger.info(`report: ${flags.out}/report.html, report.md, report.json; rows: ${flags.out}/results.jsonl`);
    if (result.stopped) process.exitCode = 130;
  } finally {
    progress.stop();
    signals.dispose();
    await Promise.all([...models, ...(vlm ? [vlm] : []), ...(queued ? [queued] : [])].map((m) => m.dispose()));
  }
}

export function benchCommand(): Command {
  const command = new Command("bench").description(
    "the paper's Table 1 (VBench / MonetBench): render each system's prompt, score the video against the ORIGINAL query, means with 95% bootstrap intervals and paired differences vs original",
  );
  addVideoEvalOptions(command);
  return command.action((_o: unknown, self: Command) => runVideoEval(self, "bench", (common, systems) => evaluateBench({ ...common, systems })));
}
