import { execFileSync } from "node:child_process";

/**
 * GPUs this node would train on: CUDA_VISIBLE_DEVICES when set, else the lines of `nvidia-smi -L`; undefined when
 * neither tells (no NVIDIA driver here), so the caller falls back to the count the export was made for.
 */
export function detectGpuCount(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const visible = env.CUDA_VISIBLE_DEVICES;
  if (visible !== undefined && visible.trim() !== "") {
    const ids = visible.split(",").filter((id) => id.trim() !== "" && id.trim() !== "-1");
    return ids.length || undefined;
  }
  try {
    const out = execFileSync("nvidia-smi", ["-L"], { encoding: "utf8", timeout: 10_000, stdio: ["ignore", "pipe", "ignore"] });
    const count = out.split("\n").filter((line) => line.startsWith("GPU ")).length;
    return count || undefined;
  } catch {
    return undefined;
  }
}
