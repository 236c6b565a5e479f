import { Command, Option } from "commander";
import { addTargetOptions, targetFrom, type TargetFlags } from "../target-options.js";
import { benchCommand } from "./eval-bench.js";
import { iterativeCommand } from "./eval-iterative.js";
import { pairwiseCommand } from "./eval-pairwise.js";
import { safetyCommand } from "./eval-safety.js";
import { UsageError } from "../../errors.js";
import { DEFAULT_ALIGNMENT_CONCURRENCY, evaluateAlignment, type AlignmentSystem } from "../../eval/evaluate-alignment.js";
import { alignmentTable } from "../../eval/alignment-report.js";
import { fewShotTemplate } from "../../eval/few-shot-template.js";
import { openModel, withEnvDefaults } from "../../model/open-model.js";
import type { TextModel } from "../../model/types.js";
import { PRESETS, type PresetName } from "../../optimize/sampling.js";
import { loadTemplate } from "../../optimize/template.js";
import { loggerFor, type GlobalFlags } from "../context.js";
import { interruptSignals } from "../interrupt.js";
import { addModelOptions, modelSpecFrom, parseInteger } from "../options.js";
import { createProgressView, formatDuration, type ProgressView } from "../progress.js";

interface AlignmentFlags extends GlobalFlags, TargetFlags {
  queries: string;
  out: string;
  name: string;
  template: string;
  preset: PresetName;
  baselineName: string;
  baselineTemplate: string;
  baselinePreset: PresetName;
  judgeFormat: "json" | "text";
  concurrency: number;
  retryFailed?: boolean;
}

function alignmentCommand(): Command {
  const command = new Command("alignment")
    .description("the paper's query-alignment table (aligned / unsafe / imprecise / refusal, with 95% intervals) for an optimizer, and optionally a baseline")
    .requiredOption("--queries <file>", "queries: .txt (one a line), .json or .jsonl")
    .requiredOption("--out <dir>", "output folder: <name>.jsonl per system, report.json, report.md; a re-run resumes")
    .addOption(new Option("--name <name>", "the optimizer's name in the report").default("optimizer"))
    .addOption(new Option("--template <vpo|file>", "the optimizer's prompt template").default("vpo"))
    .addOption(new Option("--preset <name>", "the optimizer's sampling preset").choices(Object.keys(PRESETS)).default("official"))
    .addOption(new Option("--baseline-name <name>", "the baseline's name in the report").default("baseline"))
    .addOption(new Option("--baseline-template <few-shot|vpo|file>", "the baseline's template: a general LLM with few-shot instructions by default").default("few-shot"))
    .addOption(new Option("--baseline-preset <name>", "the baseline's sampling preset").choices(Object.keys(PRESETS)).default("official"))
    .addOption(new Option("--judge-format <format>", "ask the judge for json (default) or labelled text").choices(["json", "text"]).default("json"))
    .addOption(new Option("-c, --concurrency <n>", "queries in flight at once").argParser(parseInteger(1)).default(DEFAULT_ALIGNMENT_CONCURRENCY))
    .addOption(new Option("--retry-failed", "redo queries whose optimizer or judge failed"))
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  addModelOptions(command);
  addModelOptions(command, "judge");
  addModelOptions(command, "baseline");
  addTargetOptions(command);
  return command.action(async (_options: AlignmentFlags, self: Command) => {
    // Global flags (-q, -v, --log-json) may stand anywhere on the line.
    const flags = self.optsWithGlobals<AlignmentFlags>();
    const logger = loggerFor(flags);
    const judgeSpec = modelSpecFrom(flags, "judge", { concurrency: flags.concurrency, logger });
    if (!judgeSpec.baseUrl && !judgeSpec.model) throw new UsageError("no judge model: pass --judge-base-url URL --judge-model NAME, or --judge-model FILE.gguf");
    const baselineSpec = modelSpecFrom(flags, "baseline", { concurrency: flags.concurrency, logger });
    const opened: TextModel[] = [];
    const open = async (spec: Parameters<typeof openModel>[0]) => {
      const m = await openModel(spec);
      opened.push(m);
      return m;
    };
    const target = await targetFrom(flags);
    const signals = interruptSignals(() => logger.warn("stopping: letting in-flight queries finish (Ctrl-C again to abort them)"));
    const views = new Map<string, ProgressView>();
    try {
      const systems: AlignmentSystem[] = [
        { name: flags.name, optimize: { model: await open(withEnvDefaults(modelSpecFrom(flags, "", { concurrency: flags.concurrency, logger }))), template: await loadTemplate(flags.template), preset: flags.preset, ...(target ? { target } : {}) } },
      ];
      if (baselineSpec.baseUrl || baselineSpec.model) {
        const template = flags.baselineTemplate === "few-shot" ? fewShotTemplate : await loadTemplate(flags.baselineTemplate);
        systems.push({ name: flags.baselineName, optimize: { model: await open(baselineSpec), template, preset: flags.baselinePreset, ...(target ? { target } : {}) } });
      }
      const judge = await open(judgeSpec);
      const run = await evaluateAlignment({
        queries: flags.queries,
        out: flags.out,
        systems,
        judge: { model: judge, format: flags.judgeFormat },
        concurrency: flags.concurrency,
        retryFailed: flags.retryFailed,
        onProgress: (name, p) => {
          if (flags.quiet) return;
          if (!views.has(name)) views.set(name, createProgressView(`alignment ${name}`));
          views.get(name)!.update(p);
        },
        stop: signals.stop,
        signal: signals.abort,
      });
      for (const v of views.values()) v.stop();
      for (const [name, s] of Object.entries(run.summaries)) {
        logger.info(`${name}: ${s.ok} categorised, ${s.failed} failed, ${s.skipped} already done, of ${s.total} in ${formatDuration(s.elapsedMs)} → ${s.output}`);
      }
      process.stdout.write(`${alignmentTable(run.report)}\n`);
      logger.info(`report: ${flags.out}/report.md, ${flags.out}/report.json`);
      if (run.stopped) process.exitCode = 130;
    } finally {
      for (const v of views.values()) v.stop();
      signals.dispose();
      for (const m of opened) await m.dispose();
    }
  });
}

export function evalCommand(): Command {
  return new Command("eval")
    .description("evaluate optimizers: query alignment (Table 2), benchmarks (Table 1), iterative re-optimization (Table 3), safety (Fig. 4), pairwise win rates (Fig. 5)")
    .addCommand(alignmentCommand())
    .addCommand(benchCommand().showHelpAfterError("(run with --help for usage)").exitOverride())
    .addCommand(iterativeCommand().showHelpAfterError("(run with --help for usage)").exitOverride())
    .addCommand(safetyCommand().showHelpAfterError("(run with --help for usage)").exitOverride())
    .addCommand(pairwiseCommand().showHelpAfterError("(run with --help for usage)").exitOverride());
}
