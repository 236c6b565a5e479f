import { existsSync, realpathSync, statSync } from "node:fs";
import { basename, join, sep } from "node:path";
import { ServiceError } from "../errors.js";
import type { RunLibrary } from "./run-library.js";

/** Names the video cache gives its files: a content hash and a video extension. */
const VIDEO_NAME = /^[A-Za-z0-9_-]{1,128}\.(mp4|webm|mov|mkv|m4v|gif)$/;

export const VIDEO_TYPES: Record<string, string> = {
  mp4: "video/mp4",
  m4v: "video/mp4",
  webm: "video/webm",
  mov: "video/quicktime",
  mkv: "video/x-matroska",
  gif: "image/gif",
};

/** The run's own video cache (`<run>/cache/videos`, where `vpo data dpo` renders unless told another --cache-dir). */
const videosDir = (runDir: string) => join(runDir, "cache", "videos");

/** The cache file name of a video path recorded in the run, when that file exists inside the run's cache. */
export function cachedVideoName(runDir: string, recordedPath: string | undefined): string | undefined {
  if (!recordedPath) return undefined;
  const name = basename(recordedPath);
  if (!VIDEO_NAME.test(name)) return undefined;
  try {
    return inCache(runDir, name) ? name : undefined;
  } catch {
    return undefined;
  }
}

function inCache(runDir: string, name: string): string | undefined {
  const path = join(videosDir(runDir), name);
  if (!existsSync(path)) return undefined;
  const real = realpathSync(path);
  const dir = realpathSync(videosDir(runDir));
  return real.startsWith(dir + sep) && statSync(real).isFile() ? real : undefined;
}

/** A cached video of a run: its real path and content type; 404 for bad names, files elsewhere, and missing files. */
export function runVideo(library: RunLibrary, run: string, name: string): { path: string; type: string; bytes: number } {
  const dir = library.dir(run);
  const path = VIDEO_NAME.test(name) ? inCache(dir, name) : undefined;
  if (!path) throw new ServiceError("not-found", `run "${run}" has no cached video "${name.slice(0, 140)}"`);
  return { path, type: VIDEO_TYPES[name.split(".").pop()!]!, bytes: statSync(path).size };
}
