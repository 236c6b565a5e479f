import { Command, Option } from "commander";
import { CONVERT_TYPES, type ConvertType } from "../../convert/tensor-plan.js";
import { DEFAULT_MODEL_REPO } from "../../model/default-model.js";
import { DEFAULT_PULL_TYPE, pullModel, type PullModelOptions, type PullModelResult } from "../../pull/pull-model.js";
import type { Logger } from "../../util/logger.js";
import { createByteProgressView, formatBytes } from "../byte-progress.js";
import { loggerFor, type GlobalFlags } from "../context.js";
import { interruptSignals } from "../interrupt.js";
import { parseInteger } from "../options.js";
import { formatDuration } from "../progress.js";

interface PullFlags extends GlobalFlags {
  revision: string;
  type: ConvertType;
  convert: boolean;
  prune?: boolean;
  threads?: number;
}

/** pullModel with the size announced up front and progress bars for the download and the conversion. */
export async function pullWithProgress(options: PullModelOptions, logger: Logger, quiet = false): Promise<PullModelResult> {
  const download = quiet ? undefined : createByteProgressView("download");
  const convert = quiet ? undefined : createByteProgressView("convert ");
  const signals = interruptSignals(() => logger.warn("stopping: what is downloaded stays in the cache; run the same command to resume"));
  try {
    const result = await pullModel({
      ...options,
      signal: signals.stop,
      onPlan: (plan) => {
        const left = plan.totalBytes - plan.cachedBytes;
        logger.info(
          `${plan.repo} @ ${plan.commit.slice(0, 12)}: ${plan.files.length} files, ${formatBytes(plan.totalBytes)}` +
            (left > 0 ? `${plan.cachedBytes > 0 ? `, ${formatBytes(plan.cachedBytes)} already cached` : ""}; downloading ${formatBytes(left)}` : ", all cached"),
        );
      },
      onDownload: (p) => download?.update({ done: p.bytes, total: p.totalBytes, doneThisRun: p.downloaded, elapsedMs: p.elapsedMs, item: p.file }),
      onConvert: (p) => {
        download?.stop();
        convert?.update({ done: p.bytes, total: p.totalBytes, doneThisRun: p.bytes, elapsedMs: p.elapsedMs, item: p.tensor });
      },
    });
    download?.stop();
    convert?.stop();
    const d = result.download;
    logger.info(`downloaded ${formatBytes(d.downloadedBytes)}${d.resumes ? ` (${d.resumes} resumed)` : ""}; verified ${d.files.length} files in ${d.dir}`);
    if (result.conversion) {
      const c = result.conversion;
      logger.info(`converted to ${c.type} in ${formatDuration(c.elapsedMs)} (${formatBytes(c.outputBytes)}): ${c.out}`);
    }
    return result;
  } finally {
    download?.stop();
    convert?.stop();
    signals.dispose();
  }
}

export function pullCommand(): Command {
  return new Command("pull")
    .description(`download a VPO model from the Hugging Face Hub and convert it to GGUF for in-process use (default ${DEFAULT_MODEL_REPO})`)
    .argument("[repo]", "Hub repository (owner/name) of a Llama-architecture checkpoint", DEFAULT_MODEL_REPO)
    .addOption(new Option("--revision <rev>", "branch, tag or commit").default("main"))
    .addOption(new Option("--type <type>", "GGUF type: f16 (16 GB for 8B), q8_0 (8.5 GB, near-lossless) or q4_0 (4.7 GB)").choices([...CONVERT_TYPES]).default(DEFAULT_PULL_TYPE))
    .addOption(new Option("--no-convert", "only download the safetensors checkpoint"))
    .addOption(new Option("--prune", "delete the downloaded safetensors after converting"))
    .addOption(new Option("--threads <n>", "conversion worker threads (default: cores − 1, at most 8)").argParser(parseInteger(0)))
    .addHelpText("after", "\nEnvironment: HF_TOKEN (gated or private repositories), HF_ENDPOINT (mirror), VPO_HOME (cache, default ~/.cache/vpo).")
    .action(async (repo: string, flags: PullFlags) => {
      const logger = loggerFor(flags);
      const result = await pullWithProgress({ repo, revision: flags.revision, type: flags.type, convert: flags.convert, prune: flags.prune, threads: flags.threads, logger }, logger, flags.quiet);
      process.stdout.write(`${result.gguf ?? result.download.dir}\n`);
    });
}
