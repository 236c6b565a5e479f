import type { Stage } from "../hyperparams.js";
import type { LocalEngine } from "./engines.js";
import type { PythonPackage } from "./probe-versions.js";

/**
 * What an exported config needs from the engine's Python environment. Every bound cites the source it comes from;
 * trl/… paths are TRL's repository at the named tag or commit (f2cd5771 is TRL main after 1.9.0), llamafactory/… paths
 * LLaMA-Factory's (src/llamafactory/…), and transformers/… the files of the transformers wheels 4.57.6, 5.17.0, 5.18.0.
 */
export interface Requirement {
  package: PythonPackage;
  /** A PEP 440 specifier the installed version must satisfy; without one the package need only be installed. */
  needed?: string;
  why: string;
  install: string;
}

/** The exported settings the requirements depend on. */
export interface LaunchSettings {
  engine: LocalEngine;
  stage: Stage;
  /** ZeRO-3 configured: `deepspeed:` in a LLaMA-Factory YAML, `distributed_type: DEEPSPEED` in TRL's accelerate.yaml. */
  deepspeed: boolean;
  /** The config carries `warmup_ratio`, which transformers removed in 5.15.0. */
  warmupRatio: boolean;
}

/**
 * The transformers pin each LLaMA-Factory release enforces itself (extras/misc.py:97, `check_dependencies`, called at
 * hparams/parser.py:49), read at v0.9.5 and at ff6d4d12 (0.9.6.dev0). Other releases: only the warmup_ratio bound.
 */
export const LLAMAFACTORY_TRANSFORMERS_PINS: Record<string, string> = {
  "0.9.5": ">=4.55.0,<=5.6.0",
  "0.9.6.dev0": ">=4.55.0,<=5.8.0,!=4.57.0,!=5.6.0",
};

/**
 * transformers 4.57.6 declares `warmup_ratio` (training_args.py:939); 5.17.0 and 5.18.0 do not (only a float
 * `warmup_steps`, training_args.py:796). The removal landed in 5.15.0, as bisected in
 * vllm-project/semantic-router#3925 (5.14.1 accepts it, 5.15.0 rejects it).
 */
export const WARMUP_RATIO_REMOVED = "5.15.0";
/** transformers reads a fractional `warmup_steps` as a ratio from 5.0 (huggingface/transformers#41326; get_warmup_steps, training_args.py:2122-2129 at 5.18.0). */
export const FRACTIONAL_WARMUP_STEPS = "5.0.0";

function trl(settings: LaunchSettings): Requirement[] {
  const list: Requirement[] = [
    {
      package: "trl",
      needed: ">=0.29.0",
      why: "before 0.29 `trl dpo` starts accelerate without the launch arguments (trl/cli.py:85-92 at v0.28.0; all trainers get them from trl/cli/commands/training.py:44-50 at v0.29.0), so ZeRO-3 and the process count would be ignored; the export's keys were checked against TRL 0.29.0, 1.9.0, f2cd5771 and 1.13.0",
      install: 'pip install --upgrade "trl[deepspeed]>=0.29.0"',
    },
    { package: "transformers", needed: ">=4.56.2", why: "TRL's own floor (pyproject.toml:36 at f2cd5771)", install: 'pip install --upgrade "transformers>=4.56.2"' },
    {
      package: "accelerate",
      needed: ">=1.4.0",
      why: "TRL's own floor (pyproject.toml:32 at f2cd5771); accelerate.yaml's keys were checked at accelerate 1.4.0, 16cb6eb8 and 1.15.0 (commands/config/config_args.py:77-194)",
      install: 'pip install --upgrade "accelerate>=1.4.0"',
    },
  ];
  if (settings.deepspeed) {
    list.push(
      { package: "deepspeed", why: "accelerate.yaml selects DeepSpeed ZeRO-3 (distributed_type: DEEPSPEED)", install: 'pip install "trl[deepspeed]"' },
      { package: "transformers", needed: "!=5.1.0", why: "TRL's deepspeed extra excludes it (pyproject.toml:53 at f2cd5771, transformers#43780)", install: 'pip install "transformers!=5.1.0"' },
    );
  }
  return list;
}

function llamaFactory(settings: LaunchSettings, installed: Partial<Record<PythonPackage, string | null>>): Requirement[] {
  const list: Requirement[] = [
    {
      package: "llamafactory",
      needed: ">=0.9.5",
      why: "the export (dataset_info.json, YAML keys, the llama3 template) was checked against LLaMA-Factory 0.9.5 and ff6d4d12 (0.9.6.dev0)",
      install: 'pip install --upgrade "llamafactory>=0.9.5"',
    },
  ];
  const pin = installed.llamafactory ? LLAMAFACTORY_TRANSFORMERS_PINS[installed.llamafactory] : undefined;
  if (pin) list.push({ package: "transformers", needed: pin, why: `LLaMA-Factory ${installed.llamafactory} pins it (extras/misc.py:97) and stops otherwise`, install: `pip install "transformers${pin}"` });
  if (settings.deepspeed) {
    list.push({
      package: "deepspeed",
      why: "the config sets `deepspeed: ds_z3_config.json` (ZeRO-3); LLaMA-Factory's range is requirements/deepspeed.txt:1 at ff6d4d12",
      install: 'pip install "deepspeed>=0.10.0,<=0.18.4"',
    });
  }
  return list;
}

/** Everything the launch of `settings` needs installed, in the order it is checked. */
export function requirementsFor(settings: LaunchSettings, installed: Partial<Record<PythonPackage, string | null>>): Requirement[] {
  const list = settings.engine === "trl" ? trl(settings) : llamaFactory(settings, installed);
  if (settings.warmupRatio) {
    list.push({
      package: "transformers",
      needed: `<${WARMUP_RATIO_REMOVED}`,
      why: `the config sets warmup_ratio, which transformers removed in ${WARMUP_RATIO_REMOVED} (vllm-project/semantic-router#3925; absent from training_args.py at 5.17.0); re-export with this vpo (TRL configs then use warmup_steps) or downgrade`,
      install: `pip install "transformers<${WARMUP_RATIO_REMOVED}"`,
    });
  }
  return list;
}
