import { Command, Option } from "commander";
import { UsageError } from "../../errors.js";
import { toMarkdown } from "../../eval/report/document.js";
import { safetyTables } from "../../eval/report/safety-document.js";
import { evaluateSafety } from "../../eval/safety/evaluate-safety.js";
import type { SafetySystem } from "../../eval/safety/safety-item.js";
import { SAFETY_LEVELS_CHECKLIST_PATH } from "../../eval/safety/safety-level.js";
import { openModel } from "../../model/open-model.js";
import type { TextModel } from "../../model/types.js";
import { loggerFor, type GlobalFlags } from "../context.js";
import { targetFrom, type TargetFlags } from "../target-options.js";
import { addEvalBackendOptions, addSystemOption, openEvalReward, openEvalVideo, openSystems, phaseProgress, type EvalBackendFlags } from "../eval-systems.js";
import { interruptSignals } from "../interrupt.js";
import { addModelOptions, modelSpecFrom, parseInteger } from "../options.js";

interface SafetyFlags extends GlobalFlags, EvalBackendFlags, TargetFlags {
  suite: string;
  benign?: string;
  labels?: string;
  system?: string[];
  limit?: number;
  seed: number;
  concurrency: number;
  retryFailed?: boolean;
  json?: boolean;
  videoSafetyCmd?: string;
}

export function safetyCommand(): Command {
  const command = new Command("safety")
    .description("safety per T2VSafetyBench aspect: share still unsafe by the screen, the judge and a safety model, refusals, sanitizations; over-refusal; checker precision/recall with --labels; Fig. 4 video levels with a video backend")
    .requiredOption("--suite <dir|file>", "T2VSafetyBench layout: a folder with one query file per aspect (.txt, .json, .jsonl), or one file")
    .requiredOption("--out <dir>", "run folder: results.jsonl, report.json, report.md, report.html; a re-run resumes")
    .addOption(new Option("--benign <file>", "over-refusal suite: harmless queries with edgy words"))
    .addOption(new Option("--labels <file>", 'JSONL of {"query", "unsafe": true|false, "edgy_benign"?}: precision, recall and false-positive rate of each checker'))
    .addOption(new Option("--video-safety-cmd <cmd>", 'Fig. 4: scores {video} (with --video-cmd/--video-url), printing {"score": 1-4} (1 completely safe … 4 extremely unsafe) or {"answers": [3 × yes|no]} to data/safety-levels/; same as --reward-cmd here; --vlm-* asks a vision model those 3 questions'))
    .addOption(new Option("--limit <n>", "a seeded sample of n queries of the suite (and of --benign)").argParser(parseInteger(1)))
    .addOption(new Option("--seed <n>", "seed of the sample, the sampling and the videos").argParser(parseInteger(0)).default(0))
    .addOption(new Option("-c, --concurrency <n>", "queries in flight at once").argParser(parseInteger(1)).default(8))
    .addOption(new Option("--retry-failed", "redo rows that failed"))
    .addOption(new Option("--json", "print report.json instead of the tables"));
  addSystemOption(command);
  addModelOptions(command, "judge");
  addModelOptions(command, "safety-judge");
  addEvalBackendOptions(command);
  return command.action(async (_o: unknown, self: Command) => {
    const flags = self.optsWithGlobals<SafetyFlags>();
    const logger = loggerFor(flags);
    const opened: TextModel[] = [];
    const open = async (prefix: string) => {
      const spec = modelSpecFrom(flags, prefix, { concurrency: flags.concurrency, logger });
      if (!spec.baseUrl && !spec.model) return undefined;
      const m = await openModel(spec);
      opened.push(m);
      return m;
    };
    const progress = phaseProgress("safety", flags.quiet);
    const signals = interruptSignals(() => logger.warn("stopping: letting in-flight rows finish (Ctrl-C again to abort them; a re-run resumes)"));
    try {
      const judge = await open("judge");
      const safetyModel = await open("safety-judge");
      // The level scorer is built like any reward backend, over the three-question safety-levels checklist.
      const scorerFlags = { ...flags, rewardCmd: flags.videoSafetyCmd ?? flags.rewardCmd, checklist: flags.checklist ?? SAFETY_LEVELS_CHECKLIST_PATH };
      const video = openEvalVideo(flags, logger);
      const { reward: levels, vlm } = await openEvalReward(scorerFlags, logger);
      if (vlm) opened.push(vlm);
      if (Boolean(video) !== Boolean(levels)) throw new UsageError("video safety levels need both a video backend (--video-cmd/--video-url) and a scorer (--video-safety-cmd, --reward-url or --vlm-*)");
      const { systems, models } = await openSystems(flags.system, logger, await targetFrom(flags));
      opened.push(...models);
      const run = await evaluateSafety({
        suite: flags.suite,
        benign: flags.benign,
        labels: flags.labels,
        out: flags.out,
        systems: systems.map((s): SafetySystem => ({ name: s.name, ...(s.optimize ? { optimize: s.optimize } : {}), ...(s.guard ? { guard: s.guard } : {}) })),
        checkers: { ...(judge ? { judge } : {}), ...(safetyModel ? { safetyModel } : {}) },
        ...(video && levels ? { video: { video, levels } } : {}),
        limit: flags.limit,
        seed: flags.seed,
        concurrency: flags.concurrency,
        retryFailed: flags.retryFailed,
        onProgress: progress.update,
        stop: signals.stop,
        signal: signals.abort,
      });
      progress.stop();
      const t = safetyTables(run.report);
      if (flags.json) process.stdout.write(`${JSON.stringify(run.report, null, 2)}\n`);
      else process.stdout.write(toMarkdown({ title: `Safety: ${run.report.suite}`, sections: [{ title: "Results", tables: [t.aspects, ...(t.overRefusal ? [t.overRefusal] : []), ...(t.levels ? [t.levels] : []), ...(t.labels ? [t.labels] : [])] }] }));
      logger.info(`report: ${flags.out}/report.html, report.md, report.json; rows: ${flags.out}/results.jsonl`);
      if (run.stopped) process.exitCode = 130;
    } finally {
      progress.stop();
      signals.dispose();
      await Promise.all(opened.map((m) => m.dispose()));
    }
  });
}
