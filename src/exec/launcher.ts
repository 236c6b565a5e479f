import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";

/**
 * Starts shell scripts cheaply. Forking a large Node.js process costs milliseconds per command (the kernel copies
 * its page tables), which caps a pipeline at a few hundred commands a second on the main thread. A launcher is one
 * small long-lived `sh` that forks them instead: Node writes one line per script, the shell starts it in a new
 * session (its own process group, so a timeout can kill everything it started) and reports its exit status. When
 * Node dies the launcher's input closes and it exits, leaving running scripts to finish (durable jobs rely on that).
 */
export interface Launcher {
  /**
   * Runs `<base>.sh` with /bin/sh in a new session, stdout to `<base>.out`, stderr to `<base>.err`, and writes its
   * exit status to `<base>.status` when it ends (even if Node has died meanwhile). Resolves with that status.
   */
  run(base: string): Promise<number | null>;
  close(): void;
}

/** One job: the script in its own session (setsid), its status recorded by the launcher's subshell after it ends. */
const JOB = `setsid /bin/sh "$base.sh" </dev/null >"$base.out" 2>"$base.err"; s=$?; echo "$s" >"$base.status"`;
// Ctrl-C at a terminal must not kill jobs or their status writers (vpo lets them finish): the launcher ignores it.
const LOOP = `trap '' INT HUP; while IFS= read -r id && IFS= read -r base; do { ${JOB}; echo "$id $s"; } & done`;

function setsidAvailable(): boolean {
  try {
    return spawnSync("setsid", ["--version"], { stdio: "ignore" }).status === 0;
  } catch {
    return false;
  }
}

/**
 * Direct spawn from Node: the portable fallback (no setsid), slower per command. The outer shell leads the process
 * group; the pid file names the inner one, so a timeout there stops the script but not what it started in background.
 */
function directLauncher(): Launcher {
  return {
    run: (base) =>
      new Promise((resolve) => {
        const body = `/bin/sh "$1.sh" </dev/null >"$1.out" 2>"$1.err"; s=$?; echo "$s" >"$1.status"; exit "$s"`;
        const child = spawn("/bin/sh", ["-c", body, "sh", base], { detached: true, stdio: "ignore" });
        child.on("error", () => resolve(null));
        child.on("exit", (code) => resolve(code));
      }),
    close: () => undefined,
  };
}

type Handle = { ref(): void; unref(): void };
/** A child's pipes are sockets at run time (ref, unref), though typed as plain streams. */
const isHandle = (h: object | null): h is Handle => h !== null && "ref" in h && "unref" in h;

function shellLauncher(): Launcher {
  let child: ChildProcess | undefined;
  let nextId = 0;
  const waiting = new Map<number, (code: number | null) => void>();
  // The launcher keeps Node alive only while a script it runs is awaited.
  const hold = (c: ChildProcess, on: boolean) => {
    for (const h of [c, c.stdout, c.stdin]) if (isHandle(h)) (on ? h.ref() : h.unref());
  };
  const start = () => {
    const c = spawn("/bin/sh", ["-c", LOOP], { stdio: ["pipe", "pipe", "ignore"], detached: true });
    createInterface({ input: c.stdout! }).on("line", (line) => {
      const [id, code] = line.split(" ");
      const done = waiting.get(Number(id));
      waiting.delete(Number(id));
      if (waiting.size === 0) hold(c, false);
      const status = Number(code);
      // As in any shell, 128 + n means "killed by signal n".
      done?.(Number.isInteger(status) && status < 128 ? status : null);
    });
    c.on("exit", () => {
      if (child === c) child = undefined;
      for (const done of waiting.values()) done(null);
      waiting.clear();
    });
    c.stdin!.on("error", () => undefined);
    hold(c, false);
    return c;
  };
  return {
    run(base) {
      if (/[\n\r]/.test(base)) return directLauncher().run(base);
      const c = (child ??= start());
      const id = nextId++;
      return new Promise((resolve) => {
        if (waiting.size === 0) hold(c, true);
        waiting.set(id, resolve);
        c.stdin!.write(`${id}\n${base}\n`);
      });
    },
    close() {
      child?.stdin?.end();
      child = undefined;
    },
  };
}

let shared: Launcher | undefined;

/** The process-wide launcher: a shell launcher where `setsid` exists (Linux), direct spawns elsewhere. */
export function launcher(): Launcher {
  shared ??= setsidAvailable() ? shellLauncher() : directLauncher();
  return shared;
}
