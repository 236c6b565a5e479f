import { UsageError } from "../errors.js";
import { CommandVideoBackend } from "./command-video.js";
import { HttpVideoBackend } from "./http-video.js";
import type { VideoBackend } from "./types.js";
import type { VideoCache } from "./video-cache.js";

/** Which video backend renders the candidates, and how: `command` or `url`, not both. */
export interface VideoBackendSettings {
  /** A command that renders {prompt} into the file {output} (CommandVideoBackend). */
  command?: string;
  /** A video service: POST {prompt, query, seed, id} → video bytes or {url|path|video_base64} (HttpVideoBackend). */
  url?: string;
  /** Bearer token for `url`. */
  apiKey?: string;
  /** Per video (default 900 s). */
  timeoutMs?: number;
  /** Videos at once (default 1). */
  concurrency?: number;
  /** File extension of {output} (default mp4). */
  extension?: string;
}

/** The backend the settings name (undefined when they name none), rendering into `cache`. */
export function openVideoBackend(settings: VideoBackendSettings, cache: VideoCache): VideoBackend | undefined {
  const common = { cache, timeoutMs: settings.timeoutMs, concurrency: settings.concurrency, extension: settings.extension };
  if (settings.command !== undefined && settings.url !== undefined) throw new UsageError("give one video backend: a video command or a video URL, not both");
  if (settings.command !== undefined) return new CommandVideoBackend({ command: settings.command, ...common });
  if (settings.url !== undefined) return new HttpVideoBackend({ url: settings.url, apiKey: settings.apiKey, ...common });
  return undefined;
}
