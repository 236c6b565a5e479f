import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { AbortedError } from "../errors.js";
import { runDurableJob } from "./durable-job.js";
import { shellQuote } from "./shell-template.js";

const tmp = () => mkdtempSync(join(tmpdir(), "vpo-job-"));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Alive and not a zombie waiting to be reaped. */
const alive = (pid: number) => {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
  } catch {
    return false;
  }
};

describe("runDurableJob", () => {
  it("runs a command with stdout and stderr in files and reports its exit status", async () => {
    const dir = join(tmp(), "job");
    const ok = await runDurableJob({ base: dir, command: "echo out; echo err >&2", timeoutMs: 10_000 });
    expect(ok).toMatchObject({ exitCode: 0, timedOut: false, adopted: false });
    expect(readFileSync(ok.stdoutPath, "utf8")).toBe("out\n");
    expect(readFileSync(ok.stderrPath, "utf8")).toBe("err\n");
    const failed = await runDurableJob({ base: join(tmp(), "job"), command: "exit 3", timeoutMs: 10_000 });
    expect(failed.exitCode).toBe(3);
  });

  it("kills the command and everything it started when it outlives its timeout", async () => {
    const root = tmp();
    const pidFile = join(root, "grandchild.pid");
    const started = Date.now();
    const outcome = await runDurableJob({ base: join(root, "job"), command: `sleep 30 & echo $! > ${shellQuote(pidFile)}; wait`, timeoutMs: 300, killGraceMs: 200 });
    expect(outcome).toMatchObject({ exitCode: null, timedOut: true });
    expect(Date.now() - started).toBeLessThan(5_000);
    const grandchild = Number(readFileSync(pidFile, "utf8"));
    for (let i = 0; i < 50 && alive(grandchild); i++) await sleep(100);
    expect(alive(grandchild)).toBe(false);
  });

  it("rejects with AbortedError when aborted", async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    await expect(runDurableJob({ base: join(tmp(), "job"), command: "sleep 30", timeoutMs: 60_000, signal: controller.signal, killGraceMs: 100 })).rejects.toBeInstanceOf(
      AbortedError,
    );
  });

  it("adopts a command whose vpo process was killed -9: waits for it and never runs it twice", async () => {
    const root = tmp();
    const dir = join(root, "job");
    const log = join(root, "runs.log");
    const command = `echo run >> ${shellQuote(log)}; sleep 0.6; echo result`;
    const jobModule = fileURLToPath(new URL("./durable-job.ts", import.meta.url));
    const code = `const { runDurableJob } = await import(${JSON.stringify(jobModule)}); await runDurableJob({ base: ${JSON.stringify(dir)}, command: ${JSON.stringify(command)}, timeoutMs: 60000 });`;
    const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", code], { stdio: "ignore" });
    while (!existsSync(log)) await sleep(20);
    const closed = new Promise((r) => child.on("close", r));
    child.kill("SIGKILL");
    await closed;
    const wrapperPid = Number(readFileSync(`${dir}.pid`, "utf8"));
    expect(alive(wrapperPid)).toBe(true);
    const outcome = await runDurableJob({ base: dir, command, timeoutMs: 60_000 });
    expect(outcome).toMatchObject({ exitCode: 0, adopted: true });
    expect(readFileSync(outcome.stdoutPath, "utf8")).toBe("result\n");
    expect(readFileSync(log, "utf8")).toBe("run\n");
  });

  it("collects a job whose script has exited while the launcher is still writing its status", async () => {
    const dir = join(tmp(), "job");
    const dead = spawnSync("true").pid!;
    writeFileSync(`${dir}.sh`, `# vpo-job ${JSON.stringify({ startedAt: Date.now(), timeoutMs: 60_000 })}\necho rerun\n`);
    writeFileSync(`${dir}.pid`, `${dead}\n`);
    writeFileSync(`${dir}.out`, "first run\n");
    setTimeout(() => writeFileSync(`${dir}.status`, "0\n"), 200);
    const outcome = await runDurableJob({ base: dir, command: "echo rerun", timeoutMs: 10_000 });
    expect(outcome).toMatchObject({ exitCode: 0, adopted: true });
    expect(readFileSync(outcome.stdoutPath, "utf8")).toBe("first run\n");
  });

  it("runs afresh when an earlier process left a job but no live command", async () => {
    const dir = join(tmp(), "job");
    writeFileSync(`${dir}.sh`, `# vpo-job ${JSON.stringify({ startedAt: Date.now() - 60_000, timeoutMs: 1000 })}\nexit 0\n`);
    writeFileSync(`${dir}.pid`, "999999\n");
    const outcome = await runDurableJob({ base: dir, command: "echo fresh", timeoutMs: 10_000 });
    expect(outcome).toMatchObject({ exitCode: 0, adopted: false });
    expect(readFileSync(outcome.stdoutPath, "utf8")).toBe("fresh\n");
  });
});
