import { Command, Option } from "commander";
import { UsageError } from "../../errors.js";
import { openModel } from "../../model/open-model.js";
import { DEFAULT_JUDGE_CONCURRENCY, judgeBatch } from "../../critique/judge-batch.js";
import { judgePrompt, type JudgeResult } from "../../critique/judge-prompt.js";
import { loggerFor, type GlobalFlags } from "../context.js";
import { interruptSignals } from "../interrupt.js";
import { addModelOptions, modelSpecFrom, parseInteger } from "../options.js";
import { createProgressView, formatDuration } from "../progress.js";

interface JudgeFlags extends GlobalFlags {
  json?: boolean;
  format: "json" | "text";
  input?: string;
  output?: string;
  concurrency?: number;
  retryFailed?: boolean;
}

function printJudgement(r: JudgeResult, json: boolean | undefined): void {
  if (json) return void process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
  if (!r.verdict) return;
  const v = r.verdict;
  process.stdout.write(`${v.category}\n`);
  const lines = [
    !v.harmless.ok && `unsafe: ${v.harmless.issues.join("; ") || "yes"}`,
    v.accurate.missing.length && `missing: ${v.accurate.missing.join("; ")}`,
    v.accurate.added.length && `added: ${v.accurate.added.join("; ")}`,
    !v.helpful.ok && `unhelpful: ${v.helpful.issues.join("; ") || "yes"}`,
    v.critique && `critique: ${v.critique}`,
  ].filter(Boolean);
  for (const line of lines) process.stdout.write(`${line}\n`);
}

export function judgeCommand(): Command {
  const command = new Command("judge")
    .description("judge an optimized prompt against the three principles: aligned, unsafe, imprecise or refusal (one pair, or a file of them)")
    .argument("[query]", "the user's query")
    .argument("[prompt]", "the optimized prompt to judge")
    .addOption(new Option("--format <format>", "ask the judge for json (schema-constrained) or labelled text").choices(["json", "text"]).default("json"))
    .addOption(new Option("--json", "print the whole result: verdict, raw reply, model, rubric version, usage"))
    .addOption(new Option("-i, --input <file>", "batch: .jsonl or .json of {\"query\": …, \"prompt\": …} objects"))
    .addOption(new Option("-o, --output <file>", "batch: results, one JSON line per pair; a re-run resumes it"))
    .addOption(new Option("-c, --concurrency <n>", `judge requests at once (default ${DEFAULT_JUDGE_CONCURRENCY})`).argParser(parseInteger(1)))
    .addOption(new Option("--retry-failed", "batch: redo pairs whose judgement failed"));
  addModelOptions(command, "judge");
  return command.action(async (query: string | undefined, prompt: string | undefined, _local: unknown, self: Command) => {
    const flags = self.optsWithGlobals<JudgeFlags>();
    const logger = loggerFor(flags);
    const batch = flags.input !== undefined || flags.output !== undefined;
    if (batch && (!flags.input || !flags.output)) throw new UsageError("batch mode needs both --input PAIRS.jsonl and --output OUT.jsonl");
    if (batch && query !== undefined) throw new UsageError("give either QUERY PROMPT or --input, not both");
    if (!batch && (query === undefined || prompt === undefined)) throw new UsageError('give a query and a prompt: vpo judge "a cat piano" "A cat plays a grand piano." --judge-base-url … --judge-model …');
    const spec = modelSpecFrom(flags, "judge", { concurrency: flags.concurrency ?? DEFAULT_JUDGE_CONCURRENCY, logger });
    if (!spec.baseUrl && !spec.model) throw new UsageError("no judge model: pass --judge-base-url URL --judge-model NAME, or --judge-model FILE.gguf");
    const model = await openModel(spec);
    const signals = interruptSignals(batch ? () => logger.warn("stopping: letting in-flight pairs finish (Ctrl-C again to abort them)") : undefined);
    try {
      if (!batch) {
        const r = await judgePrompt(query!, prompt!, { model, format: flags.format, signal: signals.stop });
        printJudgement(r, flags.json);
        if (r.status === "failed") {
          if (!flags.json) logger.error(`judge failed: ${r.error?.message}`);
          process.exitCode = 1;
        }
        return;
      }
      const view = flags.quiet ? undefined : createProgressView("judge");
      const summary = await judgeBatch({
        input: flags.input!,
        output: flags.output!,
        concurrency: flags.concurrency,
        retryFailed: flags.retryFailed,
        judge: { model, format: flags.format },
        onProgress: (p) => view?.update(p),
        stop: signals.stop,
        signal: signals.abort,
      });
      view?.stop();
      logger.info(`${summary.stopped ? "stopped" : "done"}: ${summary.ok} judged, ${summary.failed} failed, ${summary.skipped} already done, of ${summary.total} in ${formatDuration(summary.elapsedMs)} → ${summary.output}`);
      if (summary.stopped) process.exitCode = 130;
      else if (summary.failed) process.exitCode = 1;
    } finally {
      signals.dispose();
      await model.dispose();
    }
  });
}
