import { join } from "node:path";
import { JsonlWriter } from "./jsonl-writer.js";
import type { Survivors } from "./read-and-filter.js";
import type { SafetyPool } from "../safety/safety-pool.js";
import type { SampleResult } from "./sample.js";

/** One line of kept.jsonl, sft.jsonl or dpo.jsonl. */
export interface CuratedRecord {
  index: number;
  query: string;
  line?: number;
  id?: string;
  toxicity?: number;
  pool?: "general" | "safety";
  split?: "sft" | "dpo";
  safety?: { source: string; status: string; categories?: string[]; reason?: string };
}

/** Writes kept.jsonl (input order) and sft.jsonl / dpo.jsonl (input order within each). */
export async function writeCuratedOutputs(outDir: string, survivors: Survivors, keptIds: number[], sampled: SampleResult, pool: SafetyPool | undefined): Promise<Record<string, string>> {
  const record = (s: number): CuratedRecord => {
    const line = survivors.lines.get(s);
    const id = survivors.ids.get(s);
    const toxicity = survivors.toxicity[s]!;
    return { index: survivors.inputIndex.get(s), query: survivors.queries.get(s), ...(line ? { line } : {}), ...(id !== "" ? { id } : {}), ...(Number.isNaN(toxicity) ? {} : { toxicity }) };
  };
  const kept = new JsonlWriter(join(outDir, "kept.jsonl"));
  for (const s of keptIds) await kept.write(record(s));
  await kept.close();
  const outputs: Record<string, string> = { kept: kept.path, dropped: join(outDir, "dropped.jsonl") };
  for (const split of ["sft", "dpo"] as const) {
    const writer = new JsonlWriter(join(outDir, `${split}.jsonl`));
    for (const q of sampled[split]) {
      const base = record(keptIds[q.kept]!);
      const status = pool?.status.get(base.index);
      const details = pool?.details.get(base.index);
      const safety = status && pool ? { safety: { source: pool.source, status, ...(details?.categories ? { categories: details.categories } : {}), ...(details?.reason ? { reason: details.reason } : {}) } } : {};
      await writer.write({ ...base, pool: q.pool, split: q.split, ...safety });
    }
    await writer.close();
    outputs[split] = writer.path;
  }
  outputs.report = join(outDir, "report.json");
  outputs.reportMarkdown = join(outDir, "report.md");
  return outputs;
}
