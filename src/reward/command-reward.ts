import { readFile } from "node:fs/promises";
import PQueue from "p-queue";
import { CommandError } from "../errors.js";
import { parseCommandTemplate, removeJob, renderCommand, runDurableJob, type CommandTemplate } from "../exec/index.js";
import { tail } from "../util/files.js";
import type { Checklist } from "./checklist.js";
import { SingleFlight } from "../util/single-flight.js";
import type { RewardCache } from "./reward-cache.js";
import { parseRewardJson } from "./reward-json.js";
import type { RewardBackend, RewardRequest, RewardResult } from "./types.js";

export interface CommandRewardOptions {
  /** e.g. `python score.py --video {video} --query {query}`, printing {"answers": [...]} or {"score": x}. */
  command: string;
  checklist: Checklist;
  cache: RewardCache;
  /** Per video (default 600 s). */
  timeoutMs?: number;
  concurrency?: number;
}

export const REWARD_PLACEHOLDERS = ["video", "query", "prompt"];

const readText = (path: string) => readFile(path, "utf8").catch(() => "");

/** A user command scores each video; like video commands it is a durable job that a restarted vpo collects. */
export class CommandRewardBackend implements RewardBackend {
  readonly info;
  readonly concurrency: number;
  private readonly template: CommandTemplate;
  private readonly queue: PQueue;
  private readonly timeoutMs: number;
  private readonly flights = new SingleFlight<RewardResult>();

  constructor(private readonly options: CommandRewardOptions) {
    this.template = parseCommandTemplate("--reward-cmd", options.command, { allowed: REWARD_PLACEHOLDERS, required: ["video"] });
    this.info = { kind: "command" as const, id: `cmd:${options.command}|checklist:${options.checklist.version}` };
    this.concurrency = options.concurrency ?? 1;
    this.queue = new PQueue({ concurrency: this.concurrency });
    this.timeoutMs = options.timeoutMs ?? 600_000;
  }

  async score(request: RewardRequest): Promise<RewardResult> {
    const key = this.options.cache.key(this.info.id, request);
    return this.flights.run(key, async () => this.options.cache.lookup(key) ?? this.run(key, request));
  }

  private async run(key: string, request: RewardRequest): Promise<RewardResult> {
    const base = this.options.cache.jobBase(key);
    const command = renderCommand(this.template, { video: request.videoPath, query: request.query, prompt: request.prompt });
    // The concurrency slot covers the command's run only; reading and caching its answer happens outside it.
    const outcome = (await this.queue.add(() => runDurableJob({ base, command, timeoutMs: this.timeoutMs, signal: request.signal }), { signal: request.signal }))!;
    const stdout = await readText(outcome.stdoutPath);
    const stderr = tail(await readText(outcome.stderrPath));
    // A failure is not cached: the job files go before the failure is recorded, so a retry runs the command again.
    const fail = async (message: string, details: ConstructorParameters<typeof CommandError>[1]) => {
      await removeJob(base);
      return new CommandError(message, details);
    };
    if (outcome.timedOut) throw await fail(`reward command timed out after ${this.timeoutMs / 1000} s and was killed`, { timedOut: true, stderr });
    if (outcome.exitCode !== 0) {
      const how = outcome.exitCode === null ? "was killed" : `exited with code ${outcome.exitCode}`;
      throw await fail(`reward command ${how}${stderr ? `: ${stderr}` : ""}`, { exitCode: outcome.exitCode, stderr });
    }
    const parsed = parseRewardJson(stdout, this.options.checklist);
    if (!parsed.ok) throw await fail(`reward command ${parsed.reason}`, { exitCode: 0, stderr });
    // Stored before the job files go, so a crash in between never costs a second scoring.
    const reward = await this.options.cache.store(key, parsed.reward);
    void removeJob(base);
    return { ...reward, ...(outcome.adopted ? { adopted: true } : {}) };
  }
}
