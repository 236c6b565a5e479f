import { readFileSync } from "node:fs";
import { hostname } from "node:os";

/** Enough to tell "this process is still alive" from "its pid was reused": pid, host and the kernel's start time. */
export interface ProcessIdentity {
  pid: number;
  host: string;
  /** /proc/<pid>/stat field 22 (start time in clock ticks since boot); undefined where /proc is missing. */
  procStart?: string;
}

export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may hold spaces and parentheses: count fields after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return fields[19];
  } catch {
    return undefined;
  }
}

export function currentProcess(): ProcessIdentity {
  return { pid: process.pid, host: hostname(), procStart: processStartTime(process.pid) };
}

/** True when that exact process still runs on this host. A process on another host counts as alive (we cannot tell). */
export function isAlive(identity: ProcessIdentity): boolean {
  if (identity.host !== hostname()) return true;
  try {
    process.kill(identity.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ESRCH") return false;
  }
  const start = processStartTime(identity.pid);
  return identity.procStart === undefined || start === undefined || start === identity.procStart;
}
