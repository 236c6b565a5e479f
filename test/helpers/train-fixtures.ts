import { readFileSync } from "node:fs";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

const vbench = (name: string) => readFileSync(new URL(`../../../shared/data/vbench/${name}`, import.meta.url), "utf8").split("\n").filter(Boolean);

/**
 * Pipeline-shaped sft.jsonl and pairs.jsonl from real data: VBench short prompts as queries, their GPT-4o expansions as
 * targets (chosen), the next line's expansion as the rejected prompt. Returns the folder and the paths.
 */
export async function pipelineRecords(count = 24): Promise<{ dir: string; sft: string; pairs: string; queries: string[]; prompts: string[] }> {
  const dir = await mkdtemp(join(tmpdir(), "vpo-train-"));
  const queries = vbench("appearance_style.txt").slice(0, count);
  const prompts = vbench("appearance_style_longer.txt").slice(0, count + 1);
  const sft = join(dir, "sft.jsonl");
  const pairs = join(dir, "pairs.jsonl");
  await writeFile(sft, queries.map((query, i) => `${JSON.stringify({ id: `q${i}`, query, prompt: prompts[i], verdict: "ok", provenance: { stage: "sft", teacher: "gpt-4o" } })}\n`).join(""));
  await writeFile(
    pairs,
    queries.map((query, i) => `${JSON.stringify({ query, chosen: prompts[i], rejected: prompts[i + 1], source: i % 2 ? "video" : "text", scores: { chosen: 4.2, rejected: 3.1 }, provenance: { stage: "dpo" } })}\n`).join(""),
  );
  return { dir, sft, pairs, queries, prompts: prompts.slice(0, count) };
}
