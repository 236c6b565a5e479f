/**
 * npm run bench:pipeline — `vpo data dpo` end to end from the CLI: dev queries against the scripted server (100 ms per
 * LLM request: policy sampling with n = 4, judge, refiner), a video command taking 50 ms and a reward command taking
 * 20 ms. Reports wall time against the critical-path ideal at the configured concurrency (the busiest backend's
 * work divided by its concurrency, plus one query's path through every stage), requests per query and the CLI's
 * peak RSS, at N = 500 and N = 2,000 (target: ideal/wall >= 0.85; RSS flat in N).
 *   node --import tsx bench/pipeline.ts [--quick] [--n N]   (--quick runs N = 200 and 500; --n one size)
 */
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipelineScript } from "../test/fixtures/pipeline-script.js";
import { startScriptedServer } from "../test/fixtures/scripted-server.js";
import { CLI } from "../test/helpers/cli.js";
import { trackPeakRss } from "./proc-rss.js";

const LLM_MS = 100;
const VIDEO_MS = 50;
const REWARD_MS = 20;
const CONCURRENCY = { policy: 8, judge: 16, video: 12, reward: 8 };
const quick = process.argv.includes("--quick");
// VPO_BENCH_QUERIES: another JSON array of queries (e.g. on a machine without ../shared).
const dev = JSON.parse(readFileSync(process.env.VPO_BENCH_QUERIES ?? new URL("../../shared/data/queries-dev.json", import.meta.url), "utf8")) as string[];

/** Dev queries; every 4th gets a marker that makes the judge flag one candidate (a refinement and a text pair). */
function queries(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${dev[i % dev.length]!.replace(/[\s@]+/g, " ").trim()} #${i}${i % 4 === 0 ? ` @${(i / 4) % 4}:blood` : ""}`);
}

/** Stand-ins as cheap as a shell allows (builtins but `sleep`), so the measured overhead is vpo's. */
function standIns(dir: string): { video: string; reward: string; videoLog: string; rewardLog: string } {
  mkdirSync(dir, { recursive: true });
  const answers = (yes: number) => `'${JSON.stringify({ answers: Array.from({ length: 64 }, (_, i) => (i < yes ? "yes" : "no")) })}'`;
  const videoLog = join(dir, "video.log");
  const rewardLog = join(dir, "reward.log");
  return {
    videoLog,
    rewardLog,
    video: `echo v >> ${videoLog}; sleep ${VIDEO_MS / 1000}; printf %s {prompt} > {output}`,
    // The candidate's style word (it varies with k) picks its checklist level, so some candidates dominate others.
    reward: `test -s {video} && echo r >> ${rewardLog}; sleep ${REWARD_MS / 1000}; case {prompt} in "A cinematic"*) echo ${answers(64)} ;; "A close-up"*) echo ${answers(4)} ;; "A slow"*) echo ${answers(24)} ;; *) echo ${answers(0)} ;; esac`,
  };
}

const count = (path: string) => {
  try {
    return readFileSync(path, "utf8").split("\n").filter(Boolean).length;
  } catch {
    return 0;
  }
};

async function run(n: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "vpo-bench-pipeline-"));
  const input = join(dir, "queries.txt");
  writeFileSync(input, `${queries(n).join("\n")}\n`);
  const s = standIns(join(dir, "bin"));
  const roles = { policy: 0, judge: 0 };
  const script = pipelineScript();
  const server = await startScriptedServer({
    latencyMs: LLM_MS,
    recordBodies: false,
    script: (request, nth) => {
      // Judge and refiner requests carry a system turn; the policy's VPO contract has none.
      roles[request.body?.messages.some((m) => m.role === "system") ? "judge" : "policy"]++;
      return script(request, nth);
    },
  });
  const args = [
    CLI, "data", "dpo", "--queries", input, "--out", join(dir, "out"), "-q",
    "--policy-base-url", server.url, "--policy-model", "policy", "--policy-concurrency", String(CONCURRENCY.policy),
    "--judge-base-url", server.url, "--judge-model", "judge", "--judge-concurrency", String(CONCURRENCY.judge),
    "--video-cmd", s.video, "--video-concurrency", String(CONCURRENCY.video),
    "--reward-cmd", s.reward, "--reward-concurrency", String(CONCURRENCY.reward),
  ];
  const started = performance.now();
  // --trace-gc prints the live heap after each full collection: the memory the run really holds, apart from how
  // much garbage V8 lets accumulate between collections (that, not retained data, moves peak RSS).
  const child = spawn(process.execPath, ["--trace-gc", ...args], { stdio: ["ignore", "pipe", "inherit"] });
  let gcLog = "";
  child.stdout!.on("data", (d: Buffer) => (gcLog += d.toString()));
  const rss = trackPeakRss(child.pid!);
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  const wall = (performance.now() - started) / 1000;
  const peak = rss.stop();
  const live = [...gcLog.matchAll(/Mark-Compact [\d.]+ \([\d.]+\) -> ([\d.]+) \(/g)].map((m) => Number(m[1]));
  const { policy, judge } = roles;
  const requests = server.chatRequests().length;
  await server.close();
  const videos = count(s.videoLog);
  const rewards = count(s.rewardLog);
  const pairs = readFileSync(join(dir, "out", "pairs.jsonl"), "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as { source: string });
  rmSync(dir, { recursive: true, force: true });
  const bound = {
    policy: (policy * LLM_MS) / CONCURRENCY.policy,
    judge: (judge * LLM_MS) / CONCURRENCY.judge,
    video: (videos * VIDEO_MS) / CONCURRENCY.video,
    reward: (rewards * REWARD_MS) / CONCURRENCY.reward,
  };
  const path = LLM_MS * 2 + VIDEO_MS + REWARD_MS;
  const busiest = Object.entries(bound).sort((a, b) => b[1] - a[1])[0]!;
  const ideal = (busiest[1] + path) / 1000;
  console.log(
    `pipeline N=${n}: wall ${wall.toFixed(2)} s, ideal ${ideal.toFixed(2)} s (bound by ${busiest[0]}), ideal/wall ${(ideal / wall).toFixed(3)}, ` +
      `${(requests / n).toFixed(2)} requests/query (policy ${policy}, judge+refine ${judge}), ${videos} videos, ${rewards} rewards, ` +
      `${pairs.filter((p) => p.source === "text").length} text + ${pairs.filter((p) => p.source === "video").length} video pairs, peak RSS ${peak.toFixed(0)} MiB, live heap after full GCs ${live.length ? `${Math.min(...live).toFixed(0)}–${Math.max(...live).toFixed(0)} MB (${live.length} GCs)` : "n/a"}, exit ${code}`,
  );
}

console.log(`concurrency: policy ${CONCURRENCY.policy}, judge ${CONCURRENCY.judge}, video ${CONCURRENCY.video}, reward ${CONCURRENCY.reward}; LLM ${LLM_MS} ms, video ${VIDEO_MS} ms, reward ${REWARD_MS} ms`);
const only = process.argv.indexOf("--n");
for (const n of only > 0 ? [Number(process.argv[only + 1])] : quick ? [200, 500] : [500, 2000]) await run(n);
