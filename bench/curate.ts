/**
 * npm run bench:curate — the targets: 1,000,000 queries curated (rules + self-BLEU at τ = 0.6) in ≤ 120 s
 * wall on 2 cores with ≤ 2 GiB RSS, and the indexed self-BLEU filter equal to the naive one on a 4,000-query
 * subset. The corpus is built from ../shared/data/queries-dev.json (bench/curate-corpus.ts) and cached in the OS
 * temp folder. The full run is the built CLI in a child process, so its peak RSS is the whole command's.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { naiveSelfBleu } from "../src/self-bleu/naive.js";
import { selfBleuFilterTexts } from "../src/self-bleu/self-bleu-filter.js";
import { normalizeQuery } from "../src/curate/normalize.js";
import { corpusQueries, writeCorpusCsv } from "./curate-corpus.js";

const SIZE = Number(process.env.BENCH_CURATE_SIZE ?? 1_000_000);
const SUBSET = 4_000;
const root = fileURLToPath(new URL("..", import.meta.url));
const dev = JSON.parse(readFileSync(join(root, "../shared/data/queries-dev.json"), "utf8")) as string[];
const work = join(tmpdir(), "vpo-bench-curate");
mkdirSync(work, { recursive: true });

async function fullRun(): Promise<void> {
  const corpus = join(work, `corpus-${SIZE}.csv`);
  if (!existsSync(corpus)) {
    const t = Date.now();
    await writeCorpusCsv(corpus, dev, SIZE);
    console.log(`built ${corpus} (${(statSync(corpus).size / 2 ** 20).toFixed(0)} MiB) in ${((Date.now() - t) / 1000).toFixed(1)} s`);
  }
  const out = join(work, "out");
  rmSync(out, { recursive: true, force: true });
  // The child reports its own peak RSS (getrusage) after the command finished.
  const script = `
    const { buildProgram } = await import(${JSON.stringify(join(root, "dist/cli/program.js"))});
    const t = performance.now();
    await buildProgram().exitOverride().parseAsync(["node", "vpo", "curate", ${JSON.stringify(corpus)}, "--out", ${JSON.stringify(out)}, "--no-safety", "--self-bleu", "0.6", "--json", "-q"]);
    const usage = process.resourceUsage();
    process.stderr.write("BENCH " + JSON.stringify({ wallMs: performance.now() - t, maxRssKiB: usage.maxRSS, cpuS: (usage.userCPUTime + usage.systemCPUTime) / 1e6 }) + "\\n");`;
  const started = Date.now();
  const child = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d: Buffer) => (stdout += d));
  child.stderr.on("data", (d: Buffer) => (stderr += d));
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  const wall = Date.now() - started;
  const bench = /BENCH (.*)/.exec(stderr);
  if (code !== 0 || !bench) throw new Error(`curate failed (exit ${code}): ${stderr.slice(-2000)}`);
  const { maxRssKiB, cpuS } = JSON.parse(bench[1]!) as { wallMs: number; maxRssKiB: number; cpuS: number };
  const report = JSON.parse(stdout) as { kept: number; steps: { step: string; in: number; out: number; dropped: Record<string, number> }[]; timingMs: Record<string, number>; selfBleuVerifiedPairs?: number };
  const rss = maxRssKiB / 2 ** 20;
  console.log(`\nfull curate of ${SIZE.toLocaleString("en")} queries (CSV, rules + self-BLEU τ = 0.6, no safety):`);
  for (const s of report.steps) console.log(`  ${s.step.padEnd(12)} ${String(s.in).padStart(9)} → ${String(s.out).padStart(9)}  ${JSON.stringify(s.dropped)}`);
  const t = report.timingMs;
  console.log(`  phases: read+normalise+dedupe+rules ${(t.read! / 1000).toFixed(1)} s, self-BLEU ${(t.selfBleu! / 1000).toFixed(1)} s (${report.selfBleuVerifiedPairs?.toLocaleString("en")} pairs verified), write ${(t.write! / 1000).toFixed(1)} s`);
  console.log(`  wall ${(wall / 1000).toFixed(1)} s (target ≤ 120 s: ${wall <= 120_000 ? "met" : "MISSED"}), peak RSS ${rss.toFixed(2)} GiB (target ≤ 2 GiB: ${rss <= 2 ? "met" : "MISSED"}), CPU time ${cpuS.toFixed(1)} s`);
}

async function naiveComparison(): Promise<void> {
  // 4,000 queries as the filter sees them (normalised, exact duplicates removed) from a log built the same way on
  // 1,500 dev queries: the 1,500 originals, then their re-submissions, edits, tags and flags.
  const bases = 1_500;
  const seen = new Set<string>();
  const texts: string[] = [];
  for (const raw of corpusQueries(dev.slice(0, bases), SIZE)) {
    const q = normalizeQuery(raw);
    if (seen.has(q.toLowerCase())) continue;
    seen.add(q.toLowerCase());
    texts.push(q);
    if (texts.length === SUBSET) break;
  }
  console.log(`\nnaive vs indexed self-BLEU on ${texts.length.toLocaleString("en")} queries (${bases} dev queries + ${texts.length - bases} near-duplicate variants):`);
  for (const tau of [0.4, 0.6]) {
    let t = performance.now();
    const naive = naiveSelfBleu(texts, tau);
    const naiveMs = performance.now() - t;
    t = performance.now();
    const indexed = await selfBleuFilterTexts(texts, tau);
    const indexedMs = performance.now() - t;
    let equal = naive.kept === indexed.kept;
    for (let k = 0; k < texts.length && equal; k++) equal = naive.similarTo[k] === indexed.similarTo[k] && naive.bleu[k] === indexed.bleu[k];
    console.log(
      `  τ = ${tau}: kept ${indexed.kept}; naive ${(naiveMs / 1000).toFixed(2)} s (${naive.verified.toLocaleString("en")} pairs), indexed ${(indexedMs / 1000).toFixed(3)} s (${indexed.verified.toLocaleString("en")} pairs verified), ${(naiveMs / indexedMs).toFixed(0)}× faster; results equal: ${equal ? "yes" : "NO"}`,
    );
    if (!equal) process.exitCode = 1;
  }
}

console.log("note: this machine's 2 cores may be shared with other work; timings are noisy.");
await naiveComparison();
await fullRun();
