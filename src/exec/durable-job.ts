import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { AbortedError } from "../errors.js";
import { shellQuote } from "./shell-template.js";

export interface DurableJobOptions {
  /** The job's own folder (one per job key): pid, exit status, stdout and stderr live there. */
  dir: string;
  /** The rendered shell command. */
  command: string;
  timeoutMs: number;
  /** Kills the command (and everything it started) and rejects with AbortedError. */
  signal?: AbortSignal;
  /** Grace between SIGTERM and SIGKILL on timeout or abort (default 2 s). */
  killGraceMs?: number;
}

export interface JobOutcome {
  /** The command's exit status; null when it was killed before it exited. */
  exitCode: number | null;
  timedOut: boolean;
  /** True when an earlier vpo process started it and this one collected the result (after a crash). */
  adopted: boolean;
  stdoutPath: string;
  stderrPath: string;
}

interface JobMeta {
  command: string;
  startedAt: number;
  timeoutMs: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const POLL_MS = 25;
/** How long a job folder without a pid file may be "just starting" before it counts as abandoned. */
const START_GRACE_MS = 5_000;

const paths = (dir: string) => ({
  meta: `${dir}/meta.json`,
  pid: `${dir}/pid`,
  status: `${dir}/status`,
  stdout: `${dir}/stdout`,
  stderr: `${dir}/stderr`,
});

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

/** The exit status the wrapper wrote, once it is complete ("0\n"); undefined while the command runs. */
function readStatus(dir: string): number | undefined {
  const text = readText(paths(dir).status);
  if (!text?.endsWith("\n")) return undefined;
  const code = Number(text.trim());
  return Number.isInteger(code) ? code : undefined;
}

/** True when `pid` is alive (not a zombie) and is this job's wrapper shell (not a reused pid). */
function wrapperAlive(pid: number, dir: string): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (/^\d+ \(.*\) Z/.test(readText(`/proc/${pid}/stat`) ?? "")) return false;
  const cmdline = readText(`/proc/${pid}/cmdline`);
  return cmdline === undefined || cmdline.includes(dir);
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/**
 * Runs a shell command so that its result survives the death of this process: the command runs in its own process
 * group under a small wrapper that records its pid and, when it ends, its exit status, with stdout and stderr in
 * files. If vpo is killed (kill -9 included) while the command runs, the command carries on; the next vpo waits for
 * it and collects its result instead of starting it again. A folder whose process died without a status (killed
 * together with vpo, or never started) is discarded and the command runs afresh.
 */
export async function runDurableJob(options: DurableJobOptions): Promise<JobOutcome> {
  const dir = resolve(options.dir);
  const files = paths(dir);
  const outcome = (exitCode: number | null, timedOut: boolean, adopted: boolean): JobOutcome => ({
    exitCode,
    timedOut,
    adopted,
    stdoutPath: files.stdout,
    stderrPath: files.stderr,
  });
  if (existsSync(dir)) {
    const adopted = await adopt(dir, options);
    if (adopted) return adopted;
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(files.meta, JSON.stringify({ command: options.command, startedAt: Date.now(), timeoutMs: options.timeoutMs } satisfies JobMeta));
  const q = shellQuote;
  const wrapper = `echo $$ > ${q(files.pid)}; ( ${options.command}\n) > ${q(files.stdout)} 2> ${q(files.stderr)} < /dev/null; echo $? > ${q(files.status)}`;
  const child = spawn("/bin/sh", ["-c", wrapper], { detached: true, stdio: "ignore" });
  const exited = new Promise<number | null>((done) => {
    child.on("error", () => done(null));
    child.on("exit", (code) => done(code));
  });
  let timedOut = false;
  const grace = options.killGraceMs ?? 2000;
  const stop = () => {
    if (child.pid === undefined) return;
    killGroup(child.pid, "SIGTERM");
    setTimeout(() => killGroup(child.pid!, "SIGKILL"), grace).unref();
  };
  const timer = setTimeout(() => {
    timedOut = true;
    stop();
  }, options.timeoutMs);
  const onAbort = () => stop();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    await exited;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
  }
  if (options.signal?.aborted && readStatus(dir) === undefined) throw new AbortedError();
  return outcome(timedOut ? null : readStatus(dir) ?? null, timedOut, false);
}

/** Collects or waits for a job an earlier process started; undefined when there is nothing alive to adopt. */
async function adopt(dir: string, options: DurableJobOptions): Promise<JobOutcome | undefined> {
  const files = paths(dir);
  const result = (exitCode: number | null, timedOut: boolean): JobOutcome => ({ exitCode, timedOut, adopted: true, stdoutPath: files.stdout, stderrPath: files.stderr });
  const meta = JSON.parse(readText(files.meta) ?? "null") as JobMeta | null;
  if (!meta) return undefined;
  const deadline = meta.startedAt + meta.timeoutMs;
  for (;;) {
    const status = readStatus(dir);
    if (status !== undefined) return result(status, false);
    const pid = Number(readText(files.pid));
    if (!Number.isInteger(pid) || pid <= 0) {
      // The wrapper may not have written its pid yet; past the grace period nothing will.
      if (Date.now() - meta.startedAt > START_GRACE_MS) return undefined;
    } else if (!wrapperAlive(pid, dir)) {
      return readStatus(dir) !== undefined ? result(readStatus(dir)!, false) : undefined;
    } else if (Date.now() > deadline) {
      killGroup(pid, "SIGTERM");
      await sleep(options.killGraceMs ?? 2000);
      killGroup(pid, "SIGKILL");
      return result(null, true);
    }
    if (options.signal?.aborted) throw new AbortedError();
    await sleep(POLL_MS);
  }
}

/** Deletes a job folder once its result is stored elsewhere. */
export function removeJob(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}
