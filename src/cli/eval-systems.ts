import { Option, type Command } from "commander";
import { addTargetOptions } from "./target-options.js";
import type { TargetSettings } from "../target/target-settings.js";
import type { BenchSystem } from "../eval/bench/evaluate-bench.js";
import { parseSystemSpec, type SystemSpec } from "../eval/bench/system-spec.js";
import { fewShotTemplate } from "../eval/few-shot-template.js";
import { openModel } from "../model/open-model.js";
import type { TextModel } from "../model/types.js";
import { loadTemplate } from "../optimize/template.js";
import type { Logger } from "../util/logger.js";
import { addBackendOptions, openRewardFromFlags, openVideoFromFlags, type BackendFlags } from "./pipeline-backends.js";
import type { ProgressView } from "./progress.js";
import { createProgressView } from "./progress.js";
import type { BatchProgress } from "../batch/run-batch.js";

const collect = (value: string, previous: string[] = []) => [...previous, value];

export const SYSTEM_HELP =
  'a system under test, repeatable: "original" (the raw query), or NAME="--base-url URL --model NAME [--api-key K] [--template vpo|few-shot|FILE] [--preset official|sample] [--temperature T] [--seed N] [--concurrency N] [--guard [sanitize|refuse|pass-through]]" (or --model FILE.gguf)';

/** --system, plus --target for every system that optimizes (the "original" system renders the raw query). */
export function addSystemOption(command: Command): Command {
  return addTargetOptions(command.addOption(new Option("--system <spec>", SYSTEM_HELP).argParser(collect)));
}

/** The systems the --system flags name, with the models they opened (the caller disposes them). */
export async function openSystems(values: string[] | undefined, logger: Logger, target?: TargetSettings): Promise<{ specs: SystemSpec[]; systems: (BenchSystem & { spec: SystemSpec })[]; models: TextModel[] }> {
  const specs = (values ?? []).map((v) => parseSystemSpec(v));
  const models: TextModel[] = [];
  const systems: (BenchSystem & { spec: SystemSpec })[] = [];
  try {
    for (const spec of specs) {
      if (spec.kind === "original") {
        systems.push({ name: spec.name, spec });
        continue;
      }
      const model = await openModel({ ...spec.model, logger });
      models.push(model);
      const template = spec.template === "few-shot" ? fewShotTemplate : await loadTemplate(spec.template);
      systems.push({ name: spec.name, spec, optimize: { model, template, preset: spec.preset, sampling: spec.sampling, ...(target ? { target } : {}) }, ...(spec.guard ? { guard: spec.guard } : {}) });
    }
  } catch (error) {
    await Promise.all(models.map((m) => m.dispose()));
    throw error;
  }
  return { specs, systems, models };
}

/** The video and reward backends of an evaluation: built by the same functions as `vpo data dpo`'s. */
export { addBackendOptions as addEvalBackendOptions, type BackendFlags as EvalBackendFlags };

export { openVideoFromFlags as openEvalVideo, openRewardFromFlags as openEvalReward };

/** One progress bar (rate, ETA) per phase of an evaluation. */
export function phaseProgress(label: string, quiet: boolean | undefined): { update: (phase: string, p: BatchProgress) => void; stop: () => void } {
  const views = new Map<string, ProgressView>();
  return {
    update: (phase, p) => {
      if (quiet) return;
      if (!views.has(phase)) views.set(phase, createProgressView(`${label} ${phase}`));
      views.get(phase)!.update(p);
    },
    stop: () => {
      for (const v of views.values()) v.stop();
    },
  };
}
