/**
 * npm run bench:scale — video work through the BullMQ queue on 1, 2, 4 and 8 `vpo worker` processes (one video slot
 * each, a stand-in video command taking 0.5 s) for 400 candidates, against a real redis-server. Reports wall time,
 * the ideal (candidates × 0.5 s / workers) and ideal/wall (target >= 0.9 at 8 workers), and the coordinator's RSS
 * and live heap every 100 results (target: flat in the number of jobs).
 *   node --import tsx bench/scale.ts [--n N] [--workers 1,2,4,8]
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { queueStatus } from "../src/queue/queue-status.js";
import { redisBinary, startRedis } from "../test/fixtures/redis-server.js";
import { CLI } from "../test/helpers/cli.js";

const VIDEO_S = 0.5;
const arg = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
const N = Number(arg("--n") ?? 400);
const COUNTS = (arg("--workers") ?? "1,2,4,8").split(",").map(Number);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

if (!redisBinary.path) {
  console.log(`bench:scale skipped: needs redis-server (install with: ${redisBinary.installHint})`);
  process.exit(0);
}

const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once("close", () => resolve())));

async function run(redisUrl: string, workers: number, db: number): Promise<{ wall: number; ideal: number; memory: { done: number; rssMiB: number; heapMiB: number }[] }> {
  const dir = mkdtempSync(join(tmpdir(), "vpo-bench-scale-"));
  const queue = `${redisUrl}/${db}`;
  const cache = join(dir, "cache");
  // As cheap as a shell allows but for the sleep, so what is measured is the queue's overhead.
  const videoCmd = `sleep ${VIDEO_S}; printf %s {prompt} > {output}`;
  const children = Array.from({ length: workers }, (_, i) =>
    spawn(process.execPath, [CLI, "worker", "--queue", queue, "--video-cmd", videoCmd, "--cache-dir", cache, "--name", `w${i + 1}`, "-q"], { stdio: ["ignore", "ignore", "pipe"] }),
  );
  const stderr = children.map((child) => {
    let text = "";
    child.stderr!.on("data", (d: Buffer) => (text += d.toString()));
    return () => text;
  });
  while ((await queueStatus(queue)).workers.length < workers) await sleep(100);
  const coordinator = spawn(process.execPath, ["--expose-gc", "--import", "tsx", fileURLToPath(new URL("./scale-coordinator.ts", import.meta.url)), queue, cache, String(N), "64"], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  coordinator.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  await exited(coordinator);
  for (const child of children) child.kill("SIGINT");
  await Promise.all(children.map(exited));
  // A worker that ended on anything but the bench's own Ctrl-C says why.
  children.forEach((child, i) => child.exitCode !== 0 && console.log(`worker w${i + 1} exited ${child.exitCode}: ${stderr[i]!()}`));
  rmSync(dir, { recursive: true, force: true });
  const lines = out.split("\n").filter(Boolean).map((l) => JSON.parse(l) as { wallS?: number; done?: number; rssMiB?: number; heapMiB?: number });
  const wall = lines.find((l) => l.wallS !== undefined)?.wallS;
  if (wall === undefined) throw new Error(`the coordinator printed no result (exit ${coordinator.exitCode}): ${out}`);
  const memory = lines.filter((l) => l.done !== undefined).map((l) => ({ done: l.done!, rssMiB: l.rssMiB!, heapMiB: l.heapMiB! }));
  return { wall, ideal: (N * VIDEO_S) / workers, memory };
}

const redis = await startRedis();
try {
  console.log(`bench:scale: ${N} candidates, stand-in video ${VIDEO_S} s, one slot per worker, redis-server ${redis.url}`);
  for (const [i, workers] of COUNTS.entries()) {
    const r = await run(redis.url, workers, i);
    const ratio = r.ideal / r.wall;
    const target = workers === 8 ? ` (target >= 0.9: ${ratio >= 0.9 ? "met" : "NOT met"})` : "";
    const load = loadavg()[0]!.toFixed(1);
    console.log(`workers ${workers}: wall ${r.wall.toFixed(2)} s, ideal ${r.ideal.toFixed(2)} s, ideal/wall ${ratio.toFixed(3)}${target}; load average ${load} on this machine`);
    console.log(`  coordinator after N results: ${r.memory.map((m) => `${m.done}: RSS ${m.rssMiB} MiB, live heap ${m.heapMiB} MiB`).join("; ")}`);
  }
} finally {
  await redis.stop();
}
