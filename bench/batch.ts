/**
 * npm run bench:batch — batch mode end to end from the CLI against the scripted server (200 ms latency,
 * concurrency 16): wall time vs the ideal N × latency / concurrency, and the CLI's peak RSS, at N = 1,000, 2,000
 * and 20,000 (targets: efficiency >= 0.9, RSS flat in N). Then the embedded backend on the tiny GGUF: throughput
 * with parallel sequences vs one sequence, and at --threads 1, the core count and the default (embedded-threads.ts).
 *   node --import tsx bench/batch.ts [--quick] [--embedded]   (--quick skips N = 20,000; --embedded runs only the
 *   embedded figures)
 */
import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openLlamaModel } from "../src/model/llama/open-llama-model.js";
import { startScriptedServer } from "../test/fixtures/scripted-server.js";
import { tinyLlama3Gguf } from "../test/fixtures/tiny-gguf.js";
import { CLI } from "../test/helpers/cli.js";
import { embeddedThreadsRun } from "./embedded-threads.js";
import { trackPeakRss } from "./proc-rss.js";

const LATENCY_MS = 200;
const CONCURRENCY = 16;
const quick = process.argv.includes("--quick");
const embeddedOnly = process.argv.includes("--embedded");
const dev = JSON.parse(readFileSync(new URL("../../shared/data/queries-dev.json", import.meta.url), "utf8")) as string[];

function queries(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `${dev[i % dev.length]!.replace(/\s+/g, " ").trim()} #${i}`);
}

async function batchRun(n: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "vpo-bench-batch-"));
  const input = join(dir, "queries.txt");
  writeFileSync(input, `${queries(n).join("\n")}\n`);
  const server = await startScriptedServer({ latencyMs: LATENCY_MS, recordBodies: false });
  const started = performance.now();
  const child = spawn(process.execPath, [CLI, "optimize", "-i", input, "-o", join(dir, "out.jsonl"), "-c", String(CONCURRENCY), "--base-url", server.url, "--model", "m", "-q"], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  const rss = trackPeakRss(child.pid!);
  const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
  const wall = (performance.now() - started) / 1000;
  const peak = rss.stop();
  await server.close();
  const lines = readFileSync(join(dir, "out.jsonl"), "utf8").split("\n").filter(Boolean).length;
  rmSync(dir, { recursive: true, force: true });
  const ideal = (n * LATENCY_MS) / 1000 / CONCURRENCY;
  console.log(
    `batch N=${n}: wall ${wall.toFixed(2)} s, ideal ${ideal.toFixed(2)} s, efficiency ${(ideal / wall).toFixed(3)} (wall/ideal ${(wall / ideal).toFixed(3)}), peak RSS ${peak.toFixed(0)} MiB, exit ${code}, ${lines} lines`,
  );
}

async function embeddedRun(): Promise<void> {
  const path = await tinyLlama3Gguf();
  const jobs = 32;
  const maxTokens = 48;
  for (const sequences of [1, 4, 8]) {
    const model = await openLlamaModel({ path, sequences, threads: 2, contextSize: 1024, gpu: "cpu" });
    const started = performance.now();
    const results = await Promise.all(
      Array.from({ length: jobs }, (_, i) => model.generate({ messages: [{ role: "user", content: `a cat number ${i}` }], sampling: { seed: i, maxTokens, temperature: 0.7 } })),
    );
    const seconds = (performance.now() - started) / 1000;
    const tokens = results.reduce((s, r) => s + r.usage.outputTokens, 0);
    console.log(`embedded tiny GGUF, ${sequences} sequence(s): ${jobs} generations, ${tokens} tokens in ${seconds.toFixed(2)} s = ${(tokens / seconds).toFixed(0)} tok/s, ${(jobs / seconds).toFixed(1)} generations/s`);
    await model.dispose();
  }
}

if (!embeddedOnly) for (const n of quick ? [1000, 2000] : [1000, 2000, 20000]) await batchRun(n);
await embeddedRun();
await embeddedThreadsRun();
