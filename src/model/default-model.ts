import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { env } from "../config.js";

/** Where converted models live: $VPO_HOME/models. */
export function modelsDir(): string {
  return join(env.home(), "models");
}

/**
 * The embedded default: a converted VPO model in the cache. Prefers VPO-5B, then any other VPO GGUF,
 * and among files of one model the higher-precision quantisation.
 */
export function findDefaultModel(): string | undefined {
  const dir = modelsDir();
  if (!existsSync(dir)) return undefined;
  const files = readdirSync(dir).filter((f) => f.toLowerCase().endsWith(".gguf"));
  const rank = (f: string) => {
    const name = f.toLowerCase();
    const model = name.includes("vpo-5b") ? 0 : name.includes("vpo") ? 1 : 2;
    const quant = name.includes("f16") ? 0 : name.includes("q8_0") ? 1 : name.includes("q4_0") ? 2 : 3;
    return model * 10 + quant;
  };
  const best = files.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b))[0];
  return best && rank(best) < 20 ? join(dir, best) : undefined;
}

export function noDefaultModelHelp(): string {
  return [
    `no model to run: no --model or --base-url was given and no converted VPO model is cached in ${modelsDir()}.`,
    "Get one of:",
    "  vpo pull && vpo optimize \"…\"                 download CCCCCC/VPO-5B and convert it to GGUF (about 16 GB download)",
    "  vpo optimize --model ./model.gguf \"…\"         any Llama-3-format GGUF on disk",
    "  vpo optimize --base-url http://HOST:PORT/v1 --model NAME \"…\"   an OpenAI-compatible server (vLLM, llama.cpp, Ollama, …)",
    "(or set VPO_MODEL / VPO_BASE_URL)",
  ].join("\n");
}
