import { basename, resolve } from "node:path";
import { Command, Option } from "commander";
import { env } from "../../config.js";
import { convertCheckpoint, type ConvertResult } from "../../convert/convert.js";
import { CONVERT_TYPES, type ConvertType } from "../../convert/tensor-plan.js";
import type { VerifyReport } from "../../convert/verify.js";
import { readVerifyTexts, verifyVpoConversion } from "../../pull/verify-vpo-conversion.js";
import type { Logger } from "../../util/logger.js";
import { createByteProgressView, formatBytes } from "../byte-progress.js";
import { loggerFor, type GlobalFlags } from "../context.js";
import { interruptSignals } from "../interrupt.js";
import { parseInteger } from "../options.js";
import { formatDuration } from "../progress.js";

interface ConvertFlags extends GlobalFlags {
  out?: string;
  type: ConvertType;
  threads?: number;
  name?: string;
  force?: boolean;
  verify?: boolean;
  reference?: string;
  verifyTexts?: string;
  json?: boolean;
}

function reportVerify(report: VerifyReport, logger: Logger): void {
  const t = report.tokenization;
  if (t.mismatches.length === 0) logger.info(`tokenization: ${t.texts}/${t.texts} texts tokenize identically in tokenizer.json and llama.cpp`);
  else {
    logger.error(`tokenization: ${t.mismatches.length} of ${t.texts} texts differ`);
    for (const m of t.mismatches.slice(0, 5)) logger.error(`  #${m.index} ${JSON.stringify(m.text.slice(0, 80))}: tokenizer.json [${m.expected.slice(0, 12).join(" ")}…] vs llama.cpp [${m.actual.slice(0, 12).join(" ")}…]`);
  }
  const l = report.logits;
  if (l) {
    const line = `logits vs ${basename(l.reference)} at ${l.positions.length} positions: mean KL ${l.klMean.toExponential(2)} (max ${l.klMax.toExponential(2)}, tolerance ${l.tolerance}), top token agrees ${(l.topTokenAgreement * 100).toFixed(0)}%, max |Δp| ${l.maxAbsProbability.toExponential(2)}`;
    if (l.pass) logger.info(line);
    else logger.error(line);
  }
}

export function convertCommand(): Command {
  return new Command("convert")
    .description("convert a Hugging Face Llama checkpoint folder (safetensors f32/f16/bf16, sharded or not) to GGUF")
    .argument("<dir>", "checkpoint folder: config.json, tokenizer.json, tokenizer_config.json, *.safetensors")
    .addOption(new Option("-o, --out <file.gguf>", "output file (default: ./<folder>.<type>.gguf)"))
    .addOption(new Option("-t, --type <type>", "f32, f16, q8_0 or q4_0 (q4_0 keeps the output projection in q8_0)").choices([...CONVERT_TYPES]).default("f16"))
    .addOption(new Option("--threads <n>", "conversion worker threads; 0 converts on the main thread (default: cores − 1, at most 8)").argParser(parseInteger(0)))
    .addOption(new Option("--name <name>", "general.name in the GGUF (default: the folder name)"))
    .addOption(new Option("-f, --force", "replace an existing output file"))
    .addOption(new Option("--verify", "check tokenization parity (tokenizer.json vs llama.cpp) and, for q8_0/q4_0, logits against an f16 conversion (llama.cpp threads: env VPO_THREADS)"))
    .addOption(new Option("--reference <file.gguf>", "with --verify: compare logits against this GGUF instead of a temporary f16 conversion"))
    .addOption(new Option("--verify-texts <file>", "with --verify: texts to tokenize (.txt a line each, or a .json array) instead of the built-in set"))
    .addOption(new Option("--json", "print the result (and verification report) as JSON"))
    .action(async (dir: string, flags: ConvertFlags) => {
      const logger = loggerFor(flags);
      const out = resolve(flags.out ?? `${basename(resolve(dir))}.${flags.type}.gguf`);
      const view = flags.quiet || flags.json ? undefined : createByteProgressView("convert");
      const signals = interruptSignals();
      let result: ConvertResult;
      try {
        result = await convertCheckpoint({
          dir, out, type: flags.type, threads: flags.threads, name: flags.name, overwrite: flags.force, logger, signal: signals.stop,
          onProgress: (p) => view?.update({ done: p.bytes, total: p.totalBytes, doneThisRun: p.bytes, elapsedMs: p.elapsedMs, item: p.tensor }),
        });
      } finally {
        view?.stop();
        signals.dispose();
      }
      const rate = result.sourceBytes / 1e6 / Math.max(result.elapsedMs / 1000, 1e-3);
      logger.info(`${result.tensors} tensors, ${formatBytes(result.sourceBytes)} → ${formatBytes(result.outputBytes)} ${result.type} in ${formatDuration(result.elapsedMs)} (${rate.toFixed(0)} MB/s)`);

      let report: VerifyReport | undefined;
      if (flags.verify) {
        const texts = flags.verifyTexts ? await readVerifyTexts(flags.verifyTexts) : undefined;
        report = await verifyVpoConversion({ dir, gguf: out, type: flags.type, reference: flags.reference, texts, convertThreads: flags.threads, threads: env.threads(), gpu: env.gpu(), logger });
        reportVerify(report, logger);
        if (!report.pass) process.exitCode = 1;
      }
      if (flags.json) process.stdout.write(`${JSON.stringify({ ...result, verify: report }, null, 2)}\n`);
      else process.stdout.write(`${out}\n`);
    });
}
