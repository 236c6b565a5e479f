/**
 * The ffmpeg vpo runs: `VPO_FFMPEG` when set, else `ffmpeg` on PATH, else the static binary that the
 * @ffmpeg-installer/ffmpeg npm package ships for this platform — so `npm ci` alone is enough on a machine without a
 * system ffmpeg. A VPO_FFMPEG that does not point at an executable is an error, not a reason to run another binary.
 */
import { accessSync, constants, statSync } from "node:fs";
import { createRequire } from "node:module";
import { delimiter, isAbsolute, join, resolve } from "node:path";
import { env } from "../config.js";
import { FfmpegNotFoundError } from "../errors.js";

export const BUNDLED_FFMPEG_PACKAGE = "@ffmpeg-installer/ffmpeg";

export type FfmpegSource = "VPO_FFMPEG" | "PATH" | typeof BUNDLED_FFMPEG_PACKAGE;

export interface FfmpegBinary {
  /** Absolute path of the binary. */
  path: string;
  source: FfmpegSource;
}

export interface FfmpegLookup {
  /** The VPO_FFMPEG value (undefined or "" when unset). */
  override: string | undefined;
  /** The PATH value. */
  searchPath: string;
  /** The bundled binary's path, or why there is none. */
  bundled: () => { path: string } | { reason: string };
}

const EXECUTABLE = process.platform === "win32" ? "ffmpeg.exe" : "ffmpeg";

/** Why `path` cannot be run, or undefined when it is an executable file. */
function unusable(path: string): string | undefined {
  try {
    if (!statSync(path).isFile()) return `${path} is not a file`;
  } catch {
    return `${path} does not exist`;
  }
  try {
    accessSync(path, constants.X_OK);
    return undefined;
  } catch {
    return `${path} is not executable`;
  }
}

function onSearchPath(searchPath: string): string | undefined {
  for (const dir of searchPath.split(delimiter)) {
    // An empty PATH entry means the working directory; an ffmpeg there is not one the user installed.
    if (!dir || !isAbsolute(dir)) continue;
    const candidate = join(dir, EXECUTABLE);
    if (unusable(candidate) === undefined) return candidate;
  }
  return undefined;
}

const require = createRequire(import.meta.url);

/** The binary of @ffmpeg-installer/ffmpeg's platform package, when npm installed one for this platform. */
export function bundledFfmpeg(): { path: string } | { reason: string } {
  try {
    const { path } = require(BUNDLED_FFMPEG_PACKAGE) as { path: string };
    return { path };
  } catch (error) {
    // The package throws plain strings for an unsupported platform or a missing platform package.
    const message = typeof error === "string" ? error : error instanceof Error ? error.message.split("\n")[0]! : String(error);
    return { reason: message };
  }
}

export function defaultFfmpegLookup(): FfmpegLookup {
  return { override: env.ffmpeg(), searchPath: env.searchPath(), bundled: bundledFfmpeg };
}

/** Finds the ffmpeg to run, in the order VPO_FFMPEG → PATH → bundled; throws FfmpegNotFoundError naming all three. */
export function resolveFfmpeg(lookup: FfmpegLookup = defaultFfmpegLookup()): FfmpegBinary {
  if (lookup.override) {
    const path = resolve(lookup.override);
    const problem = unusable(path);
    if (problem === undefined) return { path, source: "VPO_FFMPEG" };
    throw new FfmpegNotFoundError([{ source: "VPO_FFMPEG", reason: problem }]);
  }
  const tried = [{ source: "VPO_FFMPEG", reason: "not set" }];
  const found = onSearchPath(lookup.searchPath);
  if (found) return { path: found, source: "PATH" };
  tried.push({ source: "PATH", reason: `no ${EXECUTABLE} on PATH` });
  const bundled = lookup.bundled();
  if ("path" in bundled) {
    const problem = unusable(bundled.path);
    if (problem === undefined) return { path: bundled.path, source: BUNDLED_FFMPEG_PACKAGE };
    tried.push({ source: BUNDLED_FFMPEG_PACKAGE, reason: problem });
  } else tried.push({ source: BUNDLED_FFMPEG_PACKAGE, reason: bundled.reason });
  throw new FfmpegNotFoundError(tried);
}
