import { readFile, stat } from "node:fs/promises";
import PQueue from "p-queue";
import { CommandError } from "../errors.js";
import { parseCommandTemplate, removeJob, renderCommand, runDurableJob, type CommandTemplate } from "../exec/index.js";
import { tail } from "../util/files.js";
import type { VideoBackend, VideoRequest, VideoResult } from "./types.js";
import { SingleFlight } from "../util/single-flight.js";
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

const readTail = async (path: string) => tail(await readFile(path, "utf8").catch(() => ""));

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
  private readonly flights = new SingleFlight<VideoResult>();

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
    return this.flights.run(key, async () => (await cache.find(key, this.extension, this.info.id)) ?? this.render(key, request));
  }

  private async render(key: string, request: VideoRequest): Promise<VideoResult> {
    const { cache } = this.options;
    const base = cache.jobBase(key);
    const output = `${base}.output.${this.extension}`;
    const command = renderCommand(this.template, { prompt: request.prompt, query: request.query, seed: request.seed, output });
    // The concurrency slot covers the command's run only; collecting its result happens outside it.
    const outcome = (await this.queue.add(() => runDurableJob({ base, command, timeoutMs: this.timeoutMs, signal: request.signal }), { signal: request.signal }))!;
    const stderr = await readTail(outcome.stderrPath);
    // A failure is not cached: the job files go before the failure is recorded, so a retry runs the command again.
    const fail = async (message: string, details: ConstructorParameters<typeof CommandError>[1]) => {
      await removeJob(base, [output]);
      return new CommandError(message, details);
    };
    if (outcome.timedOut) throw await fail(`video command timed out after ${this.timeoutMs / 1000} s and was killed`, { timedOut: true, stderr });
    if (outcome.exitCode !== 0) {
      const how = outcome.exitCode === null ? "was killed" : `exited with code ${outcome.exitCode}`;
      throw await fail(`video command ${how}${stderr ? `: ${stderr}` : ""}`, { exitCode: outcome.exitCode, stderr });
    }
    const size = await stat(output).then((s) => s.size).catch(() => undefined);
    if (!size) {
      // Another process sharing the cache may have installed it meanwhile.
      const installed = cache.lookup(key);
      if (installed) return installed;
      throw await fail(`video command exited 0 but wrote ${size === 0 ? "an empty file" : "no file"} at {output}${stderr ? ` (stderr: ${stderr})` : ""}`, { exitCode: 0, stderr });
    }
    const result = await cache.install(key, output, this.extension, this.info.id);
    // The cache now answers for this key; the job files can go in the background.
    void removeJob(base);
    return { ...result, ...(outcome.adopted ? { adopted: true } : {}) };
  }
}
