import { InvalidArgumentError, Option, type Command } from "commander";
import type { GpuSetting } from "../config.js";
import type { ModelSpec } from "../model/open-model.js";
import type { Logger } from "../util/logger.js";

export function parseInteger(min: number) {
  return (raw: string): number => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`expected an integer >= ${min}, got "${raw}"`);
    return n;
  };
}

export function parseNumber(raw: string): number {
  const n = Number(raw);
  if (raw.trim() === "" || !Number.isFinite(n)) throw new InvalidArgumentError(`expected a number, got "${raw}"`);
  return n;
}

/** Raw commander values of one model flag set (the main model, or a prefixed one such as --judge-*). */
export interface ModelFlagValues {
  baseUrl?: string;
  apiKey?: string;
  model?: string;
  timeout?: number;
  retries?: number;
  threads?: number;
  contextSize?: number;
  gpu?: GpuSetting;
}

const camel = (s: string) => s.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());

/**
 * Adds the flags that name a model. With a prefix ("judge"), they become --judge-base-url, --judge-model, …, so every
 * role (optimizer, judge, teacher, policy) is configured the same way.
 */
export function addModelOptions(command: Command, prefix = ""): Command {
  const p = prefix ? `${prefix}-` : "";
  const who = prefix ? `the ${prefix} model` : "the optimizer model";
  return command
    .addOption(new Option(`--${p}base-url <url>`, `OpenAI-compatible server for ${who}, e.g. http://127.0.0.1:8000/v1; several, comma-separated, form an endpoint pool${prefix ? "" : " (env VPO_BASE_URL)"}`))
    .addOption(new Option(`--${p}api-key <key>`, `API key for that server${prefix ? "" : " (env VPO_API_KEY)"}`))
    .addOption(new Option(`--${p}model <name|file.gguf>`, `model name on the server, or a GGUF file to run in-process${prefix ? "" : " (env VPO_MODEL)"}`))
    .addOption(new Option(`--${p}timeout <seconds>`, "per-request timeout").argParser(parseNumber).default(120))
    .addOption(new Option(`--${p}retries <n>`, "retries of a failed request (5xx, 429, timeouts, refused connections)").argParser(parseInteger(0)).default(2))
    .addOption(new Option(`--${p}threads <n>`, "CPU threads for a GGUF model (default: the CPU cores this process may use; env VPO_THREADS)").argParser(parseInteger(1)))
    .addOption(new Option(`--${p}context-size <tokens>`, "context size per sequence for a GGUF model").argParser(parseInteger(256)).default(4096))
    .addOption(new Option(`--${p}gpu <mode>`, "GPU for a GGUF model (env VPO_GPU)").choices(["auto", "cuda", "vulkan", "cpu"]));
}

/** Reads one model flag set back from commander's parsed options (any command's flags object). */
export function modelSpecFrom(opts: object, prefix = "", extra: { concurrency?: number; logger?: Logger } = {}): ModelSpec {
  // The flag names are built from the prefix, so they are read by name; commander parsed and typed their values.
  const get = <T>(name: string) => Reflect.get(opts, camel(prefix ? `${prefix}-${name}` : name)) as T | undefined;
  const timeout = get<number>("timeout");
  return {
    baseUrl: get<string>("base-url"),
    apiKey: get<string>("api-key"),
    model: get<string>("model"),
    timeoutMs: timeout === undefined ? undefined : Math.round(timeout * 1000),
    retries: get<number>("retries"),
    threads: get<number>("threads"),
    contextSize: get<number>("context-size"),
    gpu: get<GpuSetting>("gpu"),
    ...extra,
  };
}
