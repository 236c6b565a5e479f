import { spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { createInterface } from "node:readline";
import { constants } from "node:os";
import { EngineNotInstalledError } from "../../errors.js";
import { findOnPath, LOCAL_ENGINES } from "./engines.js";
import type { LaunchCommand } from "./local-command.js";

export interface SpawnedEngine {
  /** Exit code; 128 + signal number when the engine died of a signal (a shell's convention). */
  exit: Promise<{ exitCode: number; signal?: NodeJS.Signals }>;
  /** Sends a signal to the engine and everything it started (torchrun's workers included). */
  signal(name: NodeJS.Signals): void;
}

/**
 * Starts the engine in its own process group, so a terminal's Ctrl-C reaches vpo only and vpo decides what the
 * engine gets (SIGINT first, a kill only when asked twice). Output is appended to `logFile` and handed over a line at
 * a time; the environment is inherited plus `command.env`.
 */
export function spawnEngine(command: LaunchCommand, logFile: string, onLine: (line: string) => void): SpawnedEngine {
  const executable = findOnPath(command.executable);
  if (!executable) throw new EngineNotInstalledError(command.executable, LOCAL_ENGINES[command.engine].install);
  const log = createWriteStream(logFile, { flags: "a" });
  const child = spawn(executable, command.args, {
    cwd: command.cwd,
    env: { ...process.env, ...command.env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  for (const stream of [child.stdout!, child.stderr!]) {
    stream.pipe(log, { end: false });
    // tqdm redraws with \r; each redraw is a line for progress parsing.
    createInterface({ input: stream, crlfDelay: Infinity }).on("line", (line) => {
      for (const part of line.split("\r")) if (part.trim()) onLine(part);
    });
  }
  const exit = new Promise<{ exitCode: number; signal?: NodeJS.Signals }>((resolve, reject) => {
    child.on("error", (error: NodeJS.ErrnoException) => {
      log.end();
      reject(error.code === "ENOENT" ? new EngineNotInstalledError(command.executable, LOCAL_ENGINES[command.engine].install) : error);
    });
    child.on("close", (code, signal) => {
      log.end(() => resolve(signal ? { exitCode: 128 + (constants.signals[signal] ?? 0), signal } : { exitCode: code ?? 1 }));
    });
  });
  return {
    exit,
    signal(name) {
      if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
      try {
        process.kill(-child.pid, name);
      } catch {
        child.kill(name);
      }
    },
  };
}
