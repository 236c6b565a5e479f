/**
 * Embedded (llama.cpp) generation speed on the tiny GGUF at `--threads 1`, at the machine's core count, at vpo's
 * default (defaultLlamaThreads) and at node-llama-cpp's own CPU default (at least 4 threads, what vpo used before).
 * One sequence, replies one after another, as `vpo optimize "…"` runs. Rounds interleave the settings so a change in
 * machine load hits them alike; the figure is the median round. Target: the default is never more than 10% slower
 * than the core count.
 */
import { availableParallelism } from "node:os";
import { defaultLlamaThreads } from "../src/model/llama/default-threads.js";
import { openLlamaModel } from "../src/model/llama/open-llama-model.js";
import type { ModelClient } from "../src/model/client.js";
import { cpuBudget } from "../src/util/cpu-budget.js";
import { tinyLlama3Gguf } from "../test/fixtures/tiny-gguf.js";

const ROUNDS = 3;
const REPLIES = 2;
const MAX_TOKENS = 48;
/** node-llama-cpp 3.21.1 on the CPU: max(4, math cores). */
const NODE_LLAMA_CPP_CPU_DEFAULT = Math.max(4, availableParallelism());

interface Setting {
  label: string;
  /** undefined: leave it to openLlamaModel's default. */
  threads: number | undefined;
  model?: ModelClient;
  tokensPerSecond: number[];
}

async function measure(model: ModelClient, round: number, maxTokens = MAX_TOKENS): Promise<number> {
  let tokens = 0;
  const started = performance.now();
  for (let i = 0; i < REPLIES; i++) {
    const reply = await model.generate({
      messages: [{ role: "user", content: `a cat on a skateboard, take ${round}.${i}` }],
      sampling: { seed: round * REPLIES + i, maxTokens, temperature: 0.7 },
    });
    tokens += reply.usage.outputTokens;
  }
  return tokens / ((performance.now() - started) / 1000);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function embeddedThreadsRun(): Promise<void> {
  const path = await tinyLlama3Gguf();
  const cores = availableParallelism();
  const budget = cpuBudget();
  const settings: Setting[] = [
    { label: "--threads 1", threads: 1, tokensPerSecond: [] },
    { label: `cores (${cores})`, threads: cores, tokensPerSecond: [] },
    { label: `default (${defaultLlamaThreads()})`, threads: undefined, tokensPerSecond: [] },
    { label: `node-llama-cpp default (${NODE_LLAMA_CPP_CPU_DEFAULT})`, threads: NODE_LLAMA_CPP_CPU_DEFAULT, tokensPerSecond: [] },
  ];
  console.log(
    `embedded threads: cpu budget ${JSON.stringify(budget)}; tiny GGUF, 1 sequence, ${REPLIES} replies × ≤${MAX_TOKENS} tokens a round, median of ${ROUNDS} interleaved rounds`,
  );
  try {
    for (const setting of settings) setting.model = await openLlamaModel({ path, sequences: 1, threads: setting.threads, contextSize: 1024, gpu: "cpu" });
    for (const setting of settings) await measure(setting.model!, -1, 4); // warm-up: the first evaluation allocates buffers
    for (let round = 0; round < ROUNDS; round++) {
      for (const setting of settings) setting.tokensPerSecond.push(await measure(setting.model!, round));
    }
  } finally {
    for (const setting of settings) await setting.model?.dispose();
  }
  const figures = settings.map((s) => ({ label: s.label, tps: median(s.tokensPerSecond) }));
  console.log(figures.map((f) => `${f.label}: ${f.tps.toFixed(1)} tok/s`).join(" | "));
  const [one, atCores, atDefault, before] = figures.map((f) => f.tps) as [number, number, number, number];
  const ratio = atDefault / atCores;
  console.log(
    `default/cores ${ratio.toFixed(3)} (target >= 0.90: default never more than 10% slower than the core count) ${ratio >= 0.9 ? "MET" : "NOT MET"}; ` +
      `default/threads-1 ${(atDefault / one).toFixed(3)}; default/node-llama-cpp-default ${(atDefault / before).toFixed(2)}`,
  );
}
