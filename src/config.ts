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
  /** An ffmpeg binary to use instead of the one on PATH or the bundled one. */
  ffmpeg: () => process.env.VPO_FFMPEG || undefined,
  /** The executable search path, for finding system tools such as ffmpeg. */
  searchPath: () => process.env.PATH ?? "",
};
