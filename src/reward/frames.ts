import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AbortedError, CommandError } from "../errors.js";
import { resolveFfmpeg } from "../util/ffmpeg.js";
import { tail } from "../util/files.js";

export interface FrameOptions {
  /** Frames per second sampled (default 1, as VisionReward). */
  fps?: number;
  /** At most this many frames, from the start (default 24, as VisionReward). */
  maxFrames?: number;
  /** Frames wider than this are scaled down (default 512 px), to keep requests small. */
  maxWidth?: number;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** JPEG frames of a video sampled with ffmpeg (see resolveFfmpeg): `fps` a second, at most `maxFrames`, in order. */
export async function extractFrames(video: string, options: FrameOptions = {}): Promise<Uint8Array[]> {
  const { fps = 1, maxFrames = 24, maxWidth = 512, timeoutMs = 120_000 } = options;
  const ffmpeg = resolveFfmpeg().path;
  const dir = mkdtempSync(join(tmpdir(), "vpo-frames-"));
  const args = ["-v", "error", "-nostdin", "-i", video, "-vf", `fps=${fps},scale='min(${maxWidth},iw)':-2`, "-frames:v", String(maxFrames), "-q:v", "4", join(dir, "frame-%03d.jpg")];
  try {
    await new Promise<void>((resolve, reject) => {
      execFile(ffmpeg, args, { timeout: timeoutMs, signal: options.signal }, (error, _stdout, stderr) => {
        if (!error) return resolve();
        if (options.signal?.aborted) return reject(new AbortedError());
        if ((error as NodeJS.ErrnoException).code === "ENOENT") {
          return reject(new CommandError(`cannot start ffmpeg at ${ffmpeg} (ENOENT) to sample frames from ${video}`));
        }
        reject(new CommandError(`ffmpeg could not sample frames from ${video}: ${tail(stderr) || error.message}`, { stderr: tail(stderr) }));
      });
    });
    const files = readdirSync(dir).filter((f) => f.endsWith(".jpg")).sort();
    if (files.length === 0) throw new CommandError(`ffmpeg found no frames in ${video}`);
    return files.map((f) => new Uint8Array(readFileSync(join(dir, f))));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
