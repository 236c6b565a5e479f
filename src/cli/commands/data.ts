import { Command, Option } from "commander";
import { UsageError } from "../../errors.js";
import { openModel } from "../../model/open-model.js";
import { describeEndpoints } from "../../model/pool/endpoint-report.js";
import type { ProgressListener } from "../../pipeline/progress.js";
import { DEFAULT_PAIR_OPTIONS, PAIR_DEDUPS, type PairDedup } from "../../pipeline/pairs.js";
import { DEFAULT_SAMPLE_SETTINGS, DEFAULT_VIDEO_SEED, runDpo } from "../../pipeline/run-dpo.js";
import { DEFAULT_TEACHER_SAMPLING, runSft } from "../../pipeline/run-sft.js";
import { USE_N_MODES, type UseN } from "../../pipeline/stages/sample.js";
import { VIDEO_PAIR_POLICIES, type VideoPairPolicy } from "../../reward/select-video-pairs.js";
import { loadDemonstrations } from "../../pipeline/teacher.js";
import type { Critic } from "../../pipeline/critique.js";
import { loadSafetyPolicy } from "../../safety/policy/safety-policy.js";
import { loadTemplate } from "../../optimize/template.js";
import { applyConfigFile } from "../config-file.js";
import { loggerFor, type GlobalFlags } from "../context.js";
import { interruptSignals } from "../interrupt.js";
import { addModelOptions, modelSpecFrom, parseInteger, parseNumber } from "../options.js";
import { addBackendOptions, addQueueOptions, feedbackSettingsFrom, openQueueFromFlags, type BackendFlags, type QueueFlags } from "../pipeline-backends.js";
import { openFeedbackBackends } from "../../pipeline/feedback-backends.js";
import { createStageProgressView } from "../stage-progress.js";
import { addTargetOptions, targetFrom, type TargetFlags } from "../target-options.js";

interface DataFlags extends GlobalFlags, BackendFlags, QueueFlags, TargetFlags {
  queries: string;
  config?: string;
  seed: number;
  retryFailed?: boolean;
  allowChanges?: boolean;
  maxActiveQueries?: number;
  json?: boolean;
  teacherConcurrency: number;
  judgeConcurrency: number;
  policyConcurrency: number;
  demonstrations?: string;
  teacherTemperature: number;
  template?: string;
  candidates: number;
  temperature: number;
  topP: number;
  maxTokens: number;
  useN: UseN;
  videoSeed: number;
  pairPolicy: VideoPairPolicy;
  pairGap: number;
  pairDedup: PairDedup;
  textOnly?: boolean;
  safetyPolicy?: string;
}

function common(command: Command): Command {
  return addTargetOptions(command)
    .addOption(new Option("--queries <file>", "queries: .txt (one a line), .json (array) or .jsonl"))
    .addOption(new Option("--out <dir>", "run directory (run.sqlite and the output files); re-running the same command resumes it"))
    .addOption(new Option("--config <file>", "YAML file with the same settings as the flags (flags given on the command line win)"))
    .addOption(new Option("--seed <n>", "base sampling seed (query i uses derived seeds)").argParser(parseInteger(0)).default(DEFAULT_SAMPLE_SETTINGS.seed))
    .addOption(new Option("--judge-concurrency <n>", "judge and refiner requests at once").argParser(parseInteger(1)).default(8))
    .addOption(new Option("--retry-failed", "redo items that failed in an earlier run (steps that worked are kept)"))
    .addOption(new Option("--allow-changes", "resume even though result-deciding settings (models, seeds, templates) changed"))
    .addOption(new Option("--max-active-queries <n>", "queries in flight at once (default: twice the sum of the concurrencies)").argParser(parseInteger(1)))
    .addOption(new Option("--safety-policy <file.yaml>", "the judge's screen follows this policy; its version hash goes into every record"))
    .addOption(new Option("--json", "print the run summary as JSON"));
}

/** The judge, with the policy its screen follows when --safety-policy names one. */
const criticOf = (judge: Critic["judge"], flags: DataFlags): Critic => ({ judge, ...(flags.safetyPolicy ? { policy: loadSafetyPolicy(flags.safetyPolicy) } : {}) });

/** Reads flags after applying --config; checks the required ones. */
function readFlags(self: Command): DataFlags {
  const first = self.optsWithGlobals<DataFlags>();
  if (first.config) applyConfigFile(self, first.config);
  const flags = self.optsWithGlobals<DataFlags>();
  if (!flags.queries) throw new UsageError("--queries FILE is required (or queries: in --config)");
  if (!flags.out) throw new UsageError("--out DIR is required (or out: in --config)");
  return flags;
}

async function withRun<T extends { stopped: boolean }>(label: string, flags: DataFlags, resources: { dispose(): Promise<void> }[], run: (signals: { stop: AbortSignal; signal: AbortSignal }, onProgress?: ProgressListener) => Promise<T>): Promise<T> {
  const logger = loggerFor(flags);
  const view = flags.quiet ? undefined : createStageProgressView(label);
  const signals = interruptSignals(() => logger.warn("stopping: letting in-flight items finish (Ctrl-C again to abort them; a re-run resumes)"));
  try {
    const summary = await run({ stop: signals.stop, signal: signals.abort }, view ? (p) => view.update(p) : undefined);
    view?.stop();
    if (summary.stopped) process.exitCode = 130;
    return summary;
  } finally {
    view?.stop();
    signals.dispose();
    await Promise.all(resources.map((r) => r.dispose()));
  }
}

function sftCommand(): Command {
  const command = common(new Command("sft").description("SFT data: teacher prompt with few-shot demonstrations → judge critique → refinement when flagged → sft.jsonl"))
    .addOption(new Option("--demonstrations <file>", "replace our few-shot demonstrations: JSON array or JSONL of {query, prompt}"))
    .addOption(new Option("--teacher-temperature <t>", "teacher sampling temperature").argParser(parseNumber).default(DEFAULT_TEACHER_SAMPLING.temperature))
    .addOption(new Option("--teacher-concurrency <n>", "teacher requests at once").argParser(parseInteger(1)).default(8));
  addModelOptions(command, "teacher");
  addModelOptions(command, "judge");
  return command.action(async (_opts: unknown, self: Command) => {
    const flags = readFlags(self);
    const logger = loggerFor(flags);
    const template = flags.demonstrations ? await loadDemonstrations(flags.demonstrations) : undefined;
    const target = await targetFrom(flags);
    const teacher = await openModel(modelSpecFrom(flags, "teacher", { concurrency: flags.teacherConcurrency, logger }));
    const judge = await openModel(modelSpecFrom(flags, "judge", { concurrency: flags.judgeConcurrency, logger }));
    const summary = await withRun("sft", flags, [teacher, judge], (signals, onProgress) =>
      runSft({ queries: flags.queries, out: flags.out, teacher, critic: criticOf(judge, flags), template, ...(target ? { target } : {}), sampling: { temperature: flags.teacherTemperature, seed: flags.seed }, retryFailed: flags.retryFailed, allowChanges: flags.allowChanges, maxActiveQueries: flags.maxActiveQueries, ...signals, onProgress, logger, argv: process.argv.slice(2) }),
    );
    if (flags.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    else logger.info(`sft: ${summary.records} records (${summary.refined} refined) in ${summary.sftFile}; vpo run status ${flags.out} for details`);
    if (!flags.json && summary.endpoints) for (const line of describeEndpoints(summary.endpoints)) logger.info(line);
  });
}

function dpoCommand(): Command {
  const command = common(new Command("dpo").description("DPO pairs: K samples per query → text feedback (judge, refine) → video feedback (video, reward) → pairs.jsonl"))
    .addOption(new Option("--template <vpo|file>", "the policy's prompt template").default("vpo"))
    .addOption(new Option("-k, --candidates <k>", "samples per query").argParser(parseInteger(2)).default(DEFAULT_SAMPLE_SETTINGS.k))
    .addOption(new Option("--temperature <t>", "sampling temperature").argParser(parseNumber).default(DEFAULT_SAMPLE_SETTINGS.temperature))
    .addOption(new Option("--top-p <p>", "sampling top_p").argParser(parseNumber).default(DEFAULT_SAMPLE_SETTINGS.topP))
    .addOption(new Option("--max-tokens <n>", "cap on a sample's tokens").argParser(parseInteger(1)).default(DEFAULT_SAMPLE_SETTINGS.maxTokens))
    .addOption(new Option("--use-n <mode>", "ask for the K samples in one request with n").choices(USE_N_MODES).default(DEFAULT_SAMPLE_SETTINGS.useN))
    .addOption(new Option("--policy-concurrency <n>", "policy requests at once").argParser(parseInteger(1)).default(8))
    .addOption(new Option("--video-seed <n>", "video seed base: query i renders all its candidates with seed + i").argParser(parseInteger(0)).default(DEFAULT_VIDEO_SEED))
    .addOption(new Option("--pair-policy <name>", "which qualifying video pair a query keeps").choices(VIDEO_PAIR_POLICIES).default(DEFAULT_PAIR_OPTIONS.policy))
    .addOption(new Option("--pair-gap <x>", "video pairs need a reward gap above this").argParser(parseNumber).default(DEFAULT_PAIR_OPTIONS.minGap))
    .addOption(new Option("--pair-dedup <mode>", "query: one pair per query, text first; source: one text + one video; none: all text pairs + the video pair").choices(PAIR_DEDUPS).default(DEFAULT_PAIR_OPTIONS.dedup))
    .addOption(new Option("--text-only", "no video feedback: text pairs only"));
  addModelOptions(command, "policy");
  addModelOptions(command, "judge");
  addBackendOptions(command);
  addQueueOptions(command);
  return command.action(async (_opts: unknown, self: Command) => {
    const flags = readFlags(self);
    const logger = loggerFor(flags);
    const template = await loadTemplate(flags.template);
    const queued = flags.textOnly ? undefined : await openQueueFromFlags(flags, logger);
    const feedback = flags.textOnly ? undefined : queued ?? (await openFeedbackBackends(feedbackSettingsFrom(flags, logger)));
    const target = await targetFrom(flags);
    const policy = await openModel(modelSpecFrom(flags, "policy", { concurrency: flags.policyConcurrency, logger }));
    const judge = await openModel(modelSpecFrom(flags, "judge", { concurrency: flags.judgeConcurrency, logger }));
    const summary = await withRun("dpo", flags, [policy, judge, ...(feedback ? [feedback] : [])], (signals, onProgress) =>
      runDpo({
        queries: flags.queries,
        out: flags.out,
        policy,
        critic: criticOf(judge, flags),
        video: feedback?.video,
        reward: feedback?.reward,
        textOnly: flags.textOnly,
        template,
        ...(target ? { target } : {}),
        sample: { k: flags.candidates, temperature: flags.temperature, topP: flags.topP, maxTokens: flags.maxTokens, seed: flags.seed, useN: flags.useN },
        videoSeed: flags.videoSeed,
        pairs: { policy: flags.pairPolicy, minGap: flags.pairGap, dedup: flags.pairDedup },
        retryFailed: flags.retryFailed,
        allowChanges: flags.allowChanges,
        maxActiveQueries: flags.maxActiveQueries,
        ...signals,
        onProgress,
        logger,
        argv: process.argv.slice(2),
        config: { concurrency: { policy: flags.policyConcurrency, judge: flags.judgeConcurrency, video: flags.videoConcurrency, reward: flags.rewardConcurrency }, cacheDir: flags.cacheDir ?? null },
      }),
    );
    if (flags.json) process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    else logger.info(`dpo: ${summary.pairs.text} text and ${summary.pairs.video} video pairs in ${summary.pairsFile}; vpo run status ${flags.out} for details`);
    if (!flags.json && summary.endpoints) for (const line of describeEndpoints(summary.endpoints)) logger.info(line);
  });
}

export function dataCommand(): Command {
  const data = new Command("data").description("build VPO training data: SFT records and DPO preference pairs (resumable runs)");
  for (const sub of [sftCommand(), dpoCommand()]) data.addCommand(sub.showHelpAfterError("(run with --help for usage)").exitOverride());
  return data;
}
