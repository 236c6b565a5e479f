/** Environment defaults, read in one place. Every value can be overridden by a flag or an option. */
import { homedir } from "node:os";
import { join } from "node:path";

export type GpuSetting = "auto" | "cuda" | "vulkan" | "cpu";

function positiveInt(name: string): number | undefined {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return n;
}

export const env = {
  /** OpenAI-compatible server, e.g. http://127.0.0.1:8000/v1 */
  baseUrl: () => process.env.VPO_BASE_URL || undefined,
  apiKey: () => process.env.VPO_API_KEY || undefined,
  /** A model name on the server, or a path to a .gguf file. */
  model: () => process.env.VPO_MODEL || undefined,
  /** Cache folder for pulled and converted models; default ~/.cache/vpo. */
  home: () => process.env.VPO_HOME || join(homedir(), ".cache", "vpo"),
  gpu: (): GpuSetting => {
    const v = process.env.VPO_GPU || "auto";
    if (v === "auto" || v === "cuda" || v === "vulkan" || v === "cpu") return v;
    throw new Error(`VPO_GPU must be auto, cuda, vulkan or cpu, got "${v}"`);
  },
  threads: () => positiveInt("VPO_THREADS"),
  autoPull: () => process.env.VPO_AUTO_PULL === "1",
  /** VPO_DEBUG: the CLI prints the stack of an error it reports. */
  debug: () => Boolean(process.env.VPO_DEBUG),
  /** Hugging Face Hub endpoint and token, under the names the Hub's own tools read. */
  hubEndpoint: () => process.env.HF_ENDPOINT || undefined,
  hubToken: () => process.env.HF_TOKEN || process.env.HUGGING_FACE_HUB_TOKEN || undefined,
  /** A fine-tuning provider's key and base URL, under the provider's own names (OPENAI_API_KEY, TOGETHER_BASE_URL, …). */
  fineTuneApiKey: (provider: FineTuneProviderName) => process.env[`${PROVIDER_ENV[provider]}_API_KEY`] || undefined,
  fineTuneBaseUrl: (provider: FineTuneProviderName) => process.env[`${PROVIDER_ENV[provider]}_BASE_URL`] || undefined,
  /** API keys of `vpo serve`, separated by commas or newlines (raw keys or sha256:HEX entries). */
  apiKeys: () => process.env.VPO_API_KEYS || undefined,
  /** An ffmpeg binary to use instead of the one on PATH or the bundled one. */
  ffmpeg: () => process.env.VPO_FFMPEG || undefined,
  /** The executable search path, for finding system tools such as ffmpeg. */
  searchPath: () => process.env.PATH ?? "",
};

export type FineTuneProviderName = "openai" | "together";
const PROVIDER_ENV: Record<FineTuneProviderName, string> = { openai: "OPENAI", together: "TOGETHER" };
