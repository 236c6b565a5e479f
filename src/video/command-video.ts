import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import PQueue from "p-queue";
import { CommandError } from "../errors.js";
import { parseCommandTemplate, removeJob, renderCommand, runDurableJob, type CommandTemplate } from "../exec/index.js";
import { tail } from "../util/files.js";
import type { VideoBackend, VideoRequest, VideoResult } from "./types.js";
import type { VideoCache } from "./video-cache.js";

export interface CommandVideoOptions {
  /** e.g. `python gen.py --prompt {prompt} --seed {seed} --out {output}`; {output} is required. */
  command: string;
  cache: VideoCache;
  /** Per video (default 900 s). */
  timeoutMs?: number;
  /** Videos at once (default 1: one GPU). */
  concurrency?: number;
  /** File extension of {output} (default "mp4"). */
  extension?: string;
}

export const VIDEO_PLACEHOLDERS = ["prompt", "output", "seed", "query"];

function readTail(path: string): string {
  try {
    return tail(readFileSync(path, "utf8"));
  } catch {
    return "";
  }
}

/**
 * A user command renders each video into {output}. It runs as a durable job: a vpo killed mid-video finds the
 * command still running (or finished) on restart and collects its file instead of rendering it again.
 */
export class CommandVideoBackend implements VideoBackend {
  readonly info;
  readonly concurrency: number;
  private readonly template: CommandTemplate;
  private readonly queue: PQueue;
  private readonly timeoutMs: number;
  private readonly extension: string;

  constructor(private readonly options: CommandVideoOptions) {
    this.template = parseCommandTemplate("--video-cmd", options.command, { allowed: VIDEO_PLACEHOLDERS, required: ["output"] });
    this.info = { kind: "command" as const, id: `cmd:${options.command}` };
    this.concurrency = options.concurrency ?? 1;
    this.queue = new PQueue({ concurrency: this.concurrency });
    this.timeoutMs = options.timeoutMs ?? 900_000;
    this.extension = (options.extension ?? "mp4").replace(/^\./, "");
  }

  async generate(request: VideoRequest): Promise<VideoResult> {
    const { cache } = this.options;
    const key = cache.key(this.info.id, request);
    const hit = cache.lookup(key) ?? (await cache.recover(key, this.extension, this.info.id));
    if (hit) return hit;
    return (await this.queue.add(() => this.render(key, request), { signal: request.signal })) as VideoResult;
  }

  private async render(key: string, request: VideoRequest): Promise<VideoResult> {
    const { cache } = this.options;
    const dir = cache.jobDir(key);
    const output = join(dir, `output.${this.extension}`);
    const command = renderCommand(this.template, { prompt: request.prompt, query: request.query, seed: request.seed, output });
    const outcome = await runDurableJob({ dir, command, timeoutMs: this.timeoutMs, signal: request.signal });
    const stderr = readTail(outcome.stderrPath);
    const fail = (message: string, details: ConstructorParameters<typeof CommandError>[1]) => {
      removeJob(dir);
      return new CommandError(message, details);
    };
    if (outcome.timedOut) throw fail(`video command timed out after ${this.timeoutMs / 1000} s and was killed${stderr ? `: ${stderr}` : ""}`, { timedOut: true, stderr });
    if (outcome.exitCode !== 0) {
      const how = outcome.exitCode === null ? "was killed" : `exited with code ${outcome.exitCode}`;
      throw fail(`video command ${how}${stderr ? `: ${stderr}` : ""}`, { exitCode: outcome.exitCode, stderr });
    }
    if (!existsSync(output) || statSync(output).size === 0) {
      // Another process sharing the cache may have installed it meanwhile.
      const installed = cache.lookup(key);
      if (installed) return installed;
      throw fail(`video command exited 0 but wrote ${existsSync(output) ? "an empty file" : "no file"} at {output}${stderr ? ` (stderr: ${stderr})` : ""}`, { exitCode: 0, stderr });
    }
    const result = await cache.install(key, output, this.extension, this.info.id);
    removeJob(dir);
    return { ...result, ...(outcome.adopted ? { adopted: true } : {}) };
  }
}
