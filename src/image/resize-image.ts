import { execFile } from "node:child_process";
import { CommandError } from "../errors.js";

/** The ffmpeg binary: the one @ffmpeg-installer ships in its npm package, else the system's. */
async function ffmpegPath(): Promise<string> {
  try {
    const { default: installer } = await import("@ffmpeg-installer/ffmpeg");
    return installer.path;
  } catch {
    return "ffmpeg";
  }
}

/**
 * A JPEG of the image scaled down to fit `maxSide` pixels on its longer side (aspect kept), by ffmpeg over pipes.
 * `quality` is ffmpeg's -q:v (2 best, 31 worst).
 */
export async function resizeImage(data: Uint8Array, options: { maxSide: number; quality?: number; timeoutMs?: number; signal?: AbortSignal }): Promise<Uint8Array> {
  const ffmpeg = await ffmpegPath();
  const side = Math.max(1, Math.floor(options.maxSide));
  const scale = `scale=w='min(${side},iw)':h='min(${side},ih)':force_original_aspect_ratio=decrease`;
  const args = ["-v", "error", "-nostdin", "-i", "pipe:0", "-vf", scale, "-frames:v", "1", "-q:v", String(options.quality ?? 3), "-f", "image2", "-c:v", "mjpeg", "pipe:1"];
  return new Promise((resolve, reject) => {
    const child = execFile(ffmpeg, args, { encoding: "buffer", maxBuffer: 64 << 20, timeout: options.timeoutMs ?? 60_000, signal: options.signal }, (error, stdout, stderr) => {
      if (!error && stdout.length) return resolve(new Uint8Array(stdout));
      if ((error as NodeJS.ErrnoException | null)?.code === "ENOENT") return reject(new CommandError("ffmpeg is not installed (needed to shrink an oversized image): install it, e.g. apt-get install ffmpeg"));
      reject(new CommandError(`ffmpeg could not resize the image: ${stderr.toString().trim().split("\n").at(-1) || error?.message || "no output"}`, { stderr: stderr.toString() }));
    });
    child.stdin!.on("error", () => undefined);
    child.stdin!.end(data);
  });
}
