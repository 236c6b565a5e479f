import { CLASSIFIER_FORMATS, type ClassifierFormat } from "../../safety/classifier/types.js";
import { Command, InvalidArgumentError, Option } from "commander";
import { curate, type CuratePhase } from "../../curate/curate.js";
import { defaultCurateConfig, loadCurateConfig } from "../../curate/rules/config.js";
import type { CurationScreen } from "../../safety/curation-screen.js";
import { openModel } from "../../model/open-model.js";
import type { TextModel } from "../../model/types.js";
import { loggerFor, type GlobalFlags } from "../context.js";
import { interruptSignals } from "../interrupt.js";
import { addModelOptions, modelSpecFrom, parseInteger, parseNumber } from "../options.js";
import { createProgressView, type ProgressView } from "../progress.js";

interface CurateFlags extends GlobalFlags {
  out: string;
  column?: string;
  config?: string;
  selfBleu?: number | false;
  rules?: boolean;
  safety?: number | false;
  general?: number;
  seed?: number;
  sftShare?: number;
  detoxifyThreshold?: number;
  json?: boolean;
  safetyJudgeBaseUrl?: string;
  safetyJudgeModel?: string;
  safetyJudgeFormat?: ClassifierFormat;
}

function parseTau(raw: string): number {
  const tau = Number(raw);
  if (raw.trim() === "" || !(tau > 0 && tau <= 1)) throw new InvalidArgumentError(`expected a threshold in (0, 1], got "${raw}"`);
  return tau;
}

function parseShare(raw: string): number {
  const share = parseNumber(raw);
  if (share < 0 || share > 1) throw new InvalidArgumentError(`expected a share between 0 and 1, got "${raw}"`);
  return share;
}

const PHASE_LABEL: Record<CuratePhase, string> = { read: "curate: read (MB)", "self-bleu": "curate: self-BLEU", "safety-judge": "curate: safety judge" };

/** `vpo curate INPUT --out DIR …`. The deterministic safety screen is injected by whoever builds the program. */
export function curateCommand(deps: { safetyScreen?: CurationScreen } = {}): Command {
  const defaults = defaultCurateConfig();
  const command = new Command("curate")
    .description("curate a query log (VidProM CSV, CSV, TXT, JSON, JSONL, Parquet) into SFT and DPO query sets")
    .argument("<input>", "the query log: .csv/.tsv (header row), .txt (a query a line), .json (array), .jsonl or .parquet")
    .requiredOption("-o, --out <dir>", "output folder: kept.jsonl, dropped.jsonl, sft.jsonl, dpo.jsonl, report.json, report.md")
    .addOption(new Option("--column <name>", "field holding the query (default: prompt, query, text or caption)"))
    .addOption(new Option("--config <file>", "curate.yaml with rule thresholds, τ, safety and sampling settings"))
    .addOption(new Option("--self-bleu <tau>", `self-BLEU threshold τ in (0, 1]: drop a query whose BLEU against a kept one is ≥ τ (default ${defaults.selfBleu})`).argParser(parseTau))
    .addOption(new Option("--no-self-bleu", "skip the self-BLEU diversity filter"))
    .addOption(new Option("--no-rules", "skip the rule filters (length, special characters, URLs, chatter, keywords, language)"))
    .addOption(new Option("--general <n>", `general queries to sample (default ${defaults.sampling.general})`).argParser(parseInteger(0)))
    .addOption(new Option("--safety <n>", `safety queries to sample (default ${defaults.sampling.safety})`).argParser(parseInteger(0)))
    .addOption(new Option("--no-safety", "no safety pool: every kept query is general"))
    .addOption(new Option("--sft-share <f>", `share of each pool that goes to SFT, the rest to DPO (default ${defaults.sampling.sftShare})`).argParser(parseShare))
    .addOption(new Option("--seed <n>", `sampling seed (default ${defaults.sampling.seed})`).argParser(parseInteger(0)))
    .addOption(new Option("--detoxify-threshold <x>", `Detoxify score that makes a safety candidate (default ${defaults.safety.detoxifyThreshold})`).argParser(parseShare))
    .addOption(new Option("--json", "print report.json to stdout"));
  addModelOptions(command, "safety-judge");
  command.addOption(new Option("--safety-judge-format <format>", "the safety judge is a safety classifier of this format (default: from its model name)").choices(CLASSIFIER_FORMATS));
  return command.action(async (input: string, _options: unknown, self: Command) => {
    // Global flags (-q, -v, --log-json) may be parsed by the program rather than the command.
    const flags = self.optsWithGlobals<CurateFlags>();
    const logger = loggerFor(flags);
    const config = flags.config ? await loadCurateConfig(flags.config) : defaultCurateConfig();
    if (typeof flags.selfBleu === "number") config.selfBleu = flags.selfBleu;
    if (flags.general !== undefined) config.sampling.general = flags.general;
    if (typeof flags.safety === "number") config.sampling.safety = flags.safety;
    if (flags.sftShare !== undefined) config.sampling.sftShare = flags.sftShare;
    if (flags.seed !== undefined) config.sampling.seed = flags.seed;
    if (flags.detoxifyThreshold !== undefined) config.safety.detoxifyThreshold = flags.detoxifyThreshold;
    const useSafety = flags.safety !== false;
    let judge: TextModel | undefined;
    if (useSafety && (flags.safetyJudgeBaseUrl || flags.safetyJudgeModel)) {
      judge = await openModel(modelSpecFrom(flags, "safety-judge", { concurrency: config.safety.judgeConcurrency, logger }));
    }
    const views = new Map<CuratePhase, ProgressView>();
    const started = new Map<CuratePhase, number>();
    const signals = interruptSignals();
    try {
      const report = await curate({
        input,
        outDir: flags.out,
        column: flags.column,
        config,
        rules: flags.rules !== false,
        selfBleu: flags.selfBleu !== false,
        safety: useSafety,
        safetyScreen: deps.safetyScreen,
        safetyJudge: judge,
        ...(flags.safetyJudgeFormat ? { safetyJudgeFormat: flags.safetyJudgeFormat } : {}),
        logger,
        signal: signals.stop,
        onProgress: (p) => {
          if (flags.quiet) return;
          let view = views.get(p.phase);
          if (!view) {
            for (const other of views.values()) other.stop();
            views.set(p.phase, (view = createProgressView(PHASE_LABEL[p.phase])));
            started.set(p.phase, Date.now());
          }
          const scale = p.phase === "read" ? 1 / (1 << 20) : 1;
          view.update({ total: Math.ceil(p.total * scale), skipped: 0, ok: Math.floor(p.done * scale), failed: 0, inFlight: 0, elapsedMs: Date.now() - started.get(p.phase)! });
        },
      });
      for (const view of views.values()) view.stop();
      for (const warning of report.warnings) logger.warn(warning);
      if (flags.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else {
        const s = report.sampling;
        process.stdout.write(
          `kept ${report.kept} of ${report.input.rows} rows; sft ${s.sft.general} general + ${s.sft.safety} safety, dpo ${s.dpo.general} general + ${s.dpo.safety} safety → ${flags.out} (${(report.timingMs.total / 1000).toFixed(1)} s)\n`,
        );
      }
    } catch (error) {
      if (!signals.stop.aborted) throw error;
      for (const view of views.values()) view.stop();
      // Outputs are only renamed into place when complete; judge verdicts so far stay in safety-judge.jsonl.
      logger.warn(`interrupted: no outputs were completed in ${flags.out} (judge verdicts so far are kept and reused by a re-run)`);
      process.exitCode = 130;
    } finally {
      for (const view of views.values()) view.stop();
      signals.dispose();
      await judge?.dispose();
    }
  });
}
