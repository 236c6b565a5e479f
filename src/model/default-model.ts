import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { env } from "../config.js";

/** The released VPO model `vpo pull` fetches by default (Llama-3-8B fine-tune for CogVideoX-5B). */
export const DEFAULT_MODEL_REPO = "CCCCCC/VPO-5B";

/** Where converted models live: $VPO_HOME/models. */
export function modelsDir(): string {
  return join(env.home(), "models");
}

/** Where `vpo pull REPO --type TYPE` puts its converted GGUF: $VPO_HOME/models/owner--name.TYPE.gguf. */
export function pulledModelPath(repo: string, type: string): string {
  return join(modelsDir(), `${repo.replace("/", "--")}.${type}.gguf`);
}

/**
 * The embedded default: a converted VPO model in the cache. Prefers the default repository's file, then any other
 * VPO GGUF, and among files of one model the higher-precision quantisation. Files of other models (pulled for other
 * roles) are never picked, and `.partial` files are unfinished conversions.
 */
export function findDefaultModel(): string | undefined {
  const dir = modelsDir();
  if (!existsSync(dir)) return undefined;
  const files = readdirSync(dir).filter((f) => f.toLowerCase().endsWith(".gguf"));
  const preferred = `${DEFAULT_MODEL_REPO.replace("/", "--")}.`.toLowerCase();
  const rank = (f: string) => {
    const name = f.toLowerCase();
    const model = name.startsWith(preferred) ? 0 : name.includes("vpo-5b") ? 1 : name.includes("vpo") ? 2 : 9;
    const quant = name.includes("f16") ? 0 : name.includes("q8_0") ? 1 : name.includes("q4_0") ? 2 : name.includes("f32") ? 3 : 4;
    return model * 10 + quant;
  };
  const best = files.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))[0];
  return best && rank(best) < 90 ? join(dir, best) : undefined;
}

export function noDefaultModelHelp(): string {
  return [
    `no model to run: no --model or --base-url was given and no converted VPO model is cached in ${modelsDir()}.`,
    "Get one of:",
    `  vpo pull && vpo optimize "…"                 download ${DEFAULT_MODEL_REPO} (about 16 GB) and convert it to GGUF (q8_0, about 8.5 GB)`,
    '  vpo optimize --pull "…"                       the same, then optimize (or set VPO_AUTO_PULL=1)',
    '  vpo optimize --model ./model.gguf "…"         any Llama-3-format GGUF on disk',
    '  vpo optimize --base-url http://HOST:PORT/v1 --model NAME "…"   an OpenAI-compatible server (vLLM, llama.cpp, Ollama, …)',
    "(or set VPO_MODEL / VPO_BASE_URL)",
  ].join("\n");
}
