import { Command, Option } from "commander";
import { optimizeBatch } from "../../optimize/optimize-batch.js";
import { describeEndpoints } from "../../model/pool/endpoint-report.js";
import { UsageError } from "../../errors.js";
import { defaultConcurrency, EMBEDDED_CONCURRENCY, SERVER_CONCURRENCY } from "../../model/concurrency.js";
import { openModel, withEnvDefaults } from "../../model/open-model.js";
import { shouldPullDefaultModel } from "../../pull/auto-pull.js";
import { optimize, type OptimizeOptions } from "../../optimize/optimize.js";
import { DEFAULT_MAX_QUERY_CHARS } from "../../optimize/query.js";
import { PRESETS, type PresetName } from "../../optimize/sampling.js";
import { loadTemplate } from "../../optimize/template.js";
import { guardedOptimize } from "../../guard/guarded-optimize.js";
import { guardedOptimizeBatch } from "../../guard/guarded-optimize-batch.js";
import { openGuard } from "../../guard/open-guard.js";
import { loggerFor, type GlobalFlags } from "../context.js";
import { addGuardOptions, guardSettingsFrom, logGuardOutcome, type GuardFlags } from "../guard-options.js";
import { interruptSignals } from "../interrupt.js";
import { addModelOptions, modelSpecFrom, parseInteger, parseNumber } from "../options.js";
import { createProgressView, formatDuration } from "../progress.js";
import { pullWithProgress } from "./pull.js";
import { addSelectOptions, openSelection, type SelectFlags } from "../select-options.js";
import { selectFromResult, type SelectedResult } from "../../select/select-result.js";
import { addImageOptions, batchImagesFromFlags, imageFromFlags } from "../image-options.js";
import { selectionImage, type ImageConditioning } from "../../image/image-conditioning.js";
import { addShapeOptions, shapeOptionsFrom, type ShapeFlags } from "../shape-options.js";
import { formatResult, type OutputFormat } from "../../optimize/prompt-spec.js";
import { batchSpecPath, writeBatchSpecs } from "../../optimize/prompt-spec-file.js";
import { addTargetOptions, targetFrom, type TargetFlags } from "../target-options.js";

interface OptimizeFlags extends GlobalFlags, GuardFlags, ShapeFlags, TargetFlags, Omit<SelectFlags, "minCoverage"> {
  template?: string;
  preset: PresetName;
  temperature?: number;
  topP?: number;
  topK?: number;
  seed?: number;
  maxTokens?: number;
  candidates: number;
  iterations: number;
  stripFlags?: boolean;
  maxQueryChars: number;
  json?: boolean;
  input?: string;
  output?: string;
  concurrency?: number;
  retryFailed?: boolean;
  pull?: boolean;
  image?: string;
}

function printResult(result: SelectedResult, json: boolean | undefined, format: OutputFormat | undefined): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  if (format && format !== "text") {
    process.stdout.write(formatResult(result, format));
    return;
  }
  const prompts = result.selection ? [result.prompt!] : result.candidates ? result.candidates.filter((c) => c.status === "ok").map((c) => c.prompt!) : result.prompt ? [result.prompt] : [];
  for (const p of prompts) process.stdout.write(`${p}\n`);
  if (prompts.length && result.negativePrompt) process.stdout.write(`Negative prompt: ${result.negativePrompt}\n`);
}

export function optimizeCommand(): Command {
  const command = new Command("optimize")
    .description("rewrite a short query into a video prompt (one query, or a file of them with --input)")
    .argument("[query...]", "the query (quote it when it holds flags such as -ar 16:9)")
    .addOption(new Option("--template <vpo|file>", "prompt template: the VPO model contract, or a text file with a {query} placeholder").default("vpo"))
    .addOption(new Option("--preset <name>", "sampling preset: official (T 0.7, top_p 1.0) or sample (T 0.9, top_p 0.9)").choices(Object.keys(PRESETS)).default("official"))
    .addOption(new Option("--temperature <t>", "override the preset's temperature").argParser(parseNumber))
    .addOption(new Option("--top-p <p>", "override the preset's top_p").argParser(parseNumber))
    .addOption(new Option("--top-k <k>", "top-k sampling (default: off)").argParser(parseInteger(0)))
    .addOption(new Option("--seed <n>", "sampling seed; candidate i uses seed + i").argParser(parseInteger(0)))
    .addOption(new Option("--max-tokens <n>", "cap on generated tokens (default 512)").argParser(parseInteger(1)))
    .addOption(new Option("-n, --candidates <k>", "return K samples").argParser(parseInteger(1)).default(1))
    .addOption(new Option("--iterations <n>", "re-optimize the output as the next query up to N times (stops when it stops changing)").argParser(parseInteger(1)).default(1))
    .addOption(new Option("--strip-flags", "remove -ar/-neg/-camera/… flags before the model sees the query (for models other than VPO)"))
    .addOption(new Option("--max-query-chars <n>", "reject longer queries").argParser(parseInteger(1)).default(DEFAULT_MAX_QUERY_CHARS))
    .addOption(new Option("--json", "print the whole result object"))
    .addOption(new Option("-i, --input <file>", "batch: .txt (a query a line), .json (array) or .jsonl"))
    .addOption(new Option("-o, --output <file>", "batch: results, one JSON line per input item; a re-run resumes it"))
    .addOption(new Option("-c, --concurrency <n>", `requests (or llama.cpp sequences) at once (batch default: ${SERVER_CONCURRENCY} on a server, ${EMBEDDED_CONCURRENCY} in-process)`).argParser(parseInteger(1)))
    .addOption(new Option("--retry-failed", "batch: redo items whose result failed"))
    .addOption(new Option("--pull", "with no model flags and no cached VPO model: download and convert it first (env VPO_AUTO_PULL=1)"));
  addModelOptions(command);
  addGuardOptions(command);
  addSelectOptions(command);
  addImageOptions(command);
  addShapeOptions(command);
  addTargetOptions(command);
  return command.action(async (words: string[], _local: unknown, self: Command) => {
    const flags = self.optsWithGlobals<OptimizeFlags>();
    const logger = loggerFor(flags);
    const batch = flags.input !== undefined || flags.output !== undefined;
    if (batch && (!flags.input || !flags.output)) throw new UsageError("batch mode needs both --input FILE and --output OUT.jsonl");
    if (batch && words.length) throw new UsageError("give either a query or --input, not both");
    if (!batch && !words.length) throw new UsageError('no query given: vpo optimize "a cat playing piano" (or --input FILE --output OUT.jsonl)');
    if (flags.select && (batch || flags.guard)) throw new UsageError("--select picks among the -n candidates of one query, without --guard or --input");
    if (flags.json && flags.format) throw new UsageError("use --json (the whole result) or --format (the prompt spec), not both");
    const target = await targetFrom(flags);
    const base = await loadTemplate(flags.template);
    const image = batch ? undefined : await imageFromFlags(self.optsWithGlobals(), base, logger);
    const template = image?.template ?? base;
    const spec = withEnvDefaults(modelSpecFrom(flags, "", { logger }));
    const concurrency = flags.concurrency ?? defaultConcurrency(spec, { batch, candidates: flags.candidates });
    if (shouldPullDefaultModel(spec, flags.pull)) await pullWithProgress({ logger }, logger, flags.quiet);
    const model = await openModel({ ...spec, concurrency });
    const guard = flags.guard ? await openGuard(guardSettingsFrom(flags, concurrency, logger)).catch(async (error: unknown) => {
      await model.dispose();
      throw error;
    }) : undefined;
    const selector = await openSelection(self.optsWithGlobals(), logger).catch(async (error: unknown) => {
      await model.dispose();
      throw error;
    });
    try {
      const options: Omit<OptimizeOptions, "signal"> = {
        model,
        template,
        preset: flags.preset,
        sampling: { temperature: flags.temperature, topP: flags.topP, topK: flags.topK, seed: flags.seed, maxTokens: flags.maxTokens },
        candidates: flags.candidates,
        iterations: flags.iterations,
        stripFlags: flags.stripFlags,
        maxQueryChars: flags.maxQueryChars,
        ...shapeOptionsFrom(flags),
        ...(target ? { target } : {}),
      };
      if (!batch) {
        const signals = interruptSignals();
        try {
          const query = words.join(" ");
          const caption = image?.image.caption;
          const optimized = guard ? await guardedOptimize(query, { ...options, ...guard.options, ...(caption ? { caption } : {}), signal: signals.stop }) : await optimize(query, { ...options, signal: signals.stop });
          const selected: SelectedResult = selector ? await selectFromResult(optimized, { ...selector.options, ...(image ? { image: selectionImage(image) } : {}), signal: signals.stop }) : optimized;
          const result: SelectedResult & { image?: ImageConditioning["image"] } = image ? { ...selected, image: image.image } : selected;
          printResult(result, flags.json, flags.format);
          if (guard && !flags.json) logGuardOutcome(result, logger);
          if (!flags.json && result.selection) logger.info(result.selection.why);
          if (!flags.json) for (const w of result.warnings ?? []) logger.warn(w);
          if (!flags.json && result.length) logger.info(`${result.target?.id}: ${result.length.tokens}/${result.length.budget} tokens (${result.length.counted})${result.target?.changes?.length ? `; ${result.target.changes.at(-1)}` : ""}`);
          if (result.status === "failed") {
            if (!flags.json) logger.error(result.error?.message ?? "optimization failed");
            process.exitCode = 1;
          }
        } finally {
          signals.dispose();
        }
        return;
      }
      const images = await batchImagesFromFlags(self.optsWithGlobals(), base, flags.input!, logger);
      const view = flags.quiet ? undefined : createProgressView("optimize");
      const signals = interruptSignals(() => logger.warn("stopping: letting in-flight items finish (Ctrl-C again to abort them)"));
      try {
        const summary = await (guard ? guardedOptimizeBatch : optimizeBatch)({
          input: flags.input!,
          output: flags.output!,
          concurrency,
          retryFailed: flags.retryFailed,
          optimize: { ...options, ...guard?.options },
          images: images.images,
          onProgress: (p) => view?.update(p),
          stop: signals.stop,
          signal: signals.abort,
        });
        view?.stop();
        if (summary.repairedBytes) logger.warn(`cut a half-written last line (${summary.repairedBytes} bytes) left by an interrupted run`);
        if (summary.corruptLines.length) logger.warn(`${summary.corruptLines.length} unreadable lines in ${summary.output} were dropped and redone (lines ${summary.corruptLines.slice(0, 10).join(", ")})`);
        logger.info(
          `${summary.stopped ? "stopped" : "done"}: ${summary.ok} ok, ${summary.failed} failed, ${summary.skipped} already done, of ${summary.total} in ${formatDuration(summary.elapsedMs)} → ${summary.output}`,
        );
        if (summary.endpoints) for (const line of describeEndpoints(summary.endpoints)) logger.info(line);
        if (flags.format) {
          const specs = batchSpecPath(summary.output, flags.format);
          logger.info(`${await writeBatchSpecs(summary.output, specs, flags.format)} prompt specs (${flags.format}) → ${specs}`);
        }
        if (summary.stopped) process.exitCode = 130;
        else if (summary.failed) process.exitCode = 1;
      } finally {
        view?.stop();
        signals.dispose();
        await images.dispose();
      }
    } finally {
      await guard?.dispose();
      await selector?.dispose();
      await model.dispose();
    }
  });
}
