import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { readFile, unlink, writeFile } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { AbortedError } from "../errors.js";
import { launcher } from "./launcher.js";
import { shellQuote } from "./shell-template.js";

export interface DurableJobOptions {
  /**
   * Path prefix of the job's files (one per job key): `<base>.sh` (the wrapper, with its start time and timeout),
   * `.pid`, `.status`, `.out` (stdout) and `.err` (stderr). Plain files, no folder per job: creating and deleting
   * thousands of folders is slow on some disks.
   */
  base: string;
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
  startedAt: number;
  timeoutMs: number;
}

const META_PREFIX = "# vpo-job ";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const POLL_MS = 25;
/** How long a job without a pid file may be "just starting" before it counts as abandoned. */
const START_GRACE_MS = 5_000;
/** How long a finished script's status may take to appear (the launcher writes it after the script exits). */
const STATUS_GRACE_MS = 2_000;

const SUFFIXES = ["sh", "pid", "status", "out", "err"] as const;
const paths = (base: string) => ({
  script: `${base}.sh`,
  pid: `${base}.pid`,
  status: `${base}.status`,
  stdout: `${base}.out`,
  stderr: `${base}.err`,
});

function readMeta(base: string): JobMeta | undefined {
  const first = readText(paths(base).script)?.split("\n", 1)[0];
  if (!first?.startsWith(META_PREFIX)) return undefined;
  try {
    return JSON.parse(first.slice(META_PREFIX.length)) as JobMeta;
  } catch {
    return undefined;
  }
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

function parseStatus(text: string | undefined): number | undefined {
  if (!text?.endsWith("\n")) return undefined;
  const code = Number(text.trim());
  return Number.isInteger(code) ? code : undefined;
}

/** The exit status the wrapper wrote, once it is complete ("0\n"); undefined while the command runs. */
function readStatus(base: string): number | undefined {
  return parseStatus(readText(paths(base).status));
}

async function readStatusAsync(base: string): Promise<number | undefined> {
  return parseStatus(await readFile(paths(base).status, "utf8").catch(() => undefined));
}

/** True when `pid` is alive (not a zombie) and is this job's wrapper shell (not a reused pid). */
function wrapperAlive(pid: number, base: string): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  if (/^\d+ \(.*\) Z/.test(readText(`/proc/${pid}/stat`) ?? "")) return false;
  const cmdline = readText(`/proc/${pid}/cmdline`);
  return cmdline === undefined || cmdline.includes(base);
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/**
 * Runs a shell command so that its result survives the death of this process: the command runs in its own session
 * (a script that first records its pid), with stdout and stderr in files, and the launcher records its exit status
 * when it ends. If vpo is killed (kill -9 included) while the command runs, the command carries on; the next vpo waits for
 * it and collects its result instead of starting it again. A job whose process died without a status (killed
 * together with vpo, or never started) is discarded and the command runs afresh.
 */
export async function runDurableJob(options: DurableJobOptions): Promise<JobOutcome> {
  const base = resolve(options.base);
  const files = paths(base);
  const outcome = (exitCode: number | null, timedOut: boolean, adopted: boolean): JobOutcome => ({
    exitCode,
    timedOut,
    adopted,
    stdoutPath: files.stdout,
    stderrPath: files.stderr,
  });
  if (existsSync(files.script)) {
    const adopted = await adopt(base, options);
    if (adopted) return adopted;
    await removeJob(base);
  }
  mkdirSync(dirname(base), { recursive: true });
  const meta: JobMeta = { startedAt: Date.now(), timeoutMs: options.timeoutMs };
  // The launcher runs the script in its own session with stdout/stderr in files and records its exit status.
  await writeFile(files.script, `${META_PREFIX}${JSON.stringify(meta)}\necho $$ > ${shellQuote(files.pid)}\n${options.command}\n`);
  const exited = launcher().run(base);
  let timedOut = false;
  const grace = options.killGraceMs ?? 2000;
  const stop = async () => {
    // The wrapper leads its own session: killing its group kills everything the command started.
    let pid = Number(readText(files.pid));
    for (let i = 0; i < 40 && !(pid > 0); i++) {
      await sleep(POLL_MS);
      pid = Number(readText(files.pid));
    }
    if (!(pid > 0)) return;
    killGroup(pid, "SIGTERM");
    setTimeout(() => killGroup(pid, "SIGKILL"), grace).unref();
  };
  const timer = setTimeout(() => {
    timedOut = true;
    void stop();
  }, options.timeoutMs);
  const onAbort = () => void stop();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  try {
    await exited;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", onAbort);
  }
  const status = await readStatusAsync(base);
  if (options.signal?.aborted && (status === undefined || status >= 128)) {
    // Interrupted work is redone by the next run, not collected as a failure.
    await removeJob(base);
    throw new AbortedError();
  }
  return outcome(timedOut ? null : status ?? null, timedOut, false);
}

/** Collects or waits for a job an earlier process started; undefined when there is nothing alive to adopt. */
async function adopt(base: string, options: DurableJobOptions): Promise<JobOutcome | undefined> {
  const files = paths(base);
  const result = (exitCode: number | null, timedOut: boolean): JobOutcome => ({ exitCode, timedOut, adopted: true, stdoutPath: files.stdout, stderrPath: files.stderr });
  const meta = readMeta(base);
  if (!meta) return undefined;
  const deadline = meta.startedAt + meta.timeoutMs;
  for (;;) {
    const status = readStatus(base);
    if (status !== undefined) return result(status, false);
    const pid = Number(readText(files.pid));
    if (!Number.isInteger(pid) || pid <= 0) {
      // The wrapper may not have written its pid yet; past the grace period nothing will.
      if (Date.now() - meta.startedAt > START_GRACE_MS) return undefined;
    } else if (!wrapperAlive(pid, base)) {
      // The launcher writes the status just after the script exits: give it a moment before calling the job lost.
      for (let waited = 0; waited < STATUS_GRACE_MS; waited += POLL_MS) {
        const final = readStatus(base);
        if (final !== undefined) return result(final, false);
        await sleep(POLL_MS);
      }
      return undefined;
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

/** Deletes a job's files (and `extra` ones, such as a video it left) once its result is stored elsewhere. */
export async function removeJob(base: string, extra: string[] = []): Promise<void> {
  await Promise.all([...SUFFIXES.map((suffix) => `${base}.${suffix}`), ...extra].map((path) => unlink(path).catch(() => undefined)));
}
