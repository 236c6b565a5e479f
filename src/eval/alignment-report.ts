import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { ALIGNMENT_CATEGORIES, type AlignmentCategory } from "../critique/verdict.js";
import type { AlignmentRecord } from "./alignment-item.js";
import { wilsonInterval } from "./wilson.js";

export interface SystemAlignment {
  name: string;
  file: string;
  model?: AlignmentRecord["optimizer"]["model"];
  template?: AlignmentRecord["optimizer"]["template"];
  /** Queries with a record. */
  total: number;
  /** Queries categorised: the denominator of every percentage. */
  categorized: number;
  counts: Record<AlignmentCategory, number>;
  /** Percent of `categorized`, with 95% Wilson intervals. */
  percent: Record<AlignmentCategory, number>;
  ci95: Record<AlignmentCategory, [number, number]>;
  optimizerFailed: number;
  judgeFailed: number;
}

export interface AlignmentReport {
  queries: string;
  judge?: { model: unknown; rubric: unknown };
  systems: SystemAlignment[];
  generatedAt: string;
}

const pct = (x: number) => Math.round(x * 1000) / 10;

/** Reads one system's per-item file (last record per index wins) and tallies the paper's Table 2 columns. */
export async function summarizeSystem(name: string, file: string): Promise<SystemAlignment> {
  const byIndex = new Map<number, AlignmentRecord>();
  for await (const line of createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Infinity })) {
    if (!line.trim()) continue;
    try {
      const r = JSON.parse(line) as AlignmentRecord;
      if (typeof r.index === "number") byIndex.set(r.index, r);
    } catch {
      // A torn line from a killed run: the batch runner repairs it on resume.
    }
  }
  const records = [...byIndex.values()];
  const counts = Object.fromEntries(ALIGNMENT_CATEGORIES.map((c) => [c, 0])) as Record<AlignmentCategory, number>;
  for (const r of records) if (r.category) counts[r.category]++;
  const categorized = ALIGNMENT_CATEGORIES.reduce((n, c) => n + counts[c], 0);
  const percent = Object.fromEntries(ALIGNMENT_CATEGORIES.map((c) => [c, categorized ? pct(counts[c] / categorized) : 0])) as Record<AlignmentCategory, number>;
  const ci95 = Object.fromEntries(
    ALIGNMENT_CATEGORIES.map((c) => {
      const { low, high } = wilsonInterval(counts[c], categorized);
      return [c, [pct(low), pct(high)]];
    }),
  ) as Record<AlignmentCategory, [number, number]>;
  const first = records.find((r) => r.optimizer);
  return {
    name,
    file,
    ...(first ? { model: first.optimizer.model, template: first.optimizer.template } : {}),
    total: records.length,
    categorized,
    counts,
    percent,
    ci95,
    optimizerFailed: records.filter((r) => r.outcome === "optimizer-failed" || (!r.category && !r.outcome)).length,
    judgeFailed: records.filter((r) => r.outcome === "judge-failed").length,
  };
}

const cell = (s: SystemAlignment, c: AlignmentCategory) => `${s.percent[c].toFixed(1)} (${s.counts[c]}) [${s.ci95[c][0].toFixed(1)}–${s.ci95[c][1].toFixed(1)}]`;

/** The paper's Table 2 as a markdown table: percent (count) [95% interval] per category, per system. */
export function alignmentTable(report: AlignmentReport): string {
  const rows = [
    "| system | n | aligned % ↑ | unsafe % ↓ | imprecise % ↓ | refusal % ↓ | optimizer failed | judge failed |",
    "|---|---:|---|---|---|---|---:|---:|",
    ...report.systems.map((s) => `| ${s.name} | ${s.categorized} | ${cell(s, "aligned")} | ${cell(s, "unsafe")} | ${cell(s, "imprecise")} | ${cell(s, "refusal")} | ${s.optimizerFailed} | ${s.judgeFailed} |`),
  ];
  return rows.join("\n");
}

export function alignmentMarkdown(report: AlignmentReport): string {
  const judge = report.judge as { model?: { id?: string }; rubric?: { name?: string; version?: string } } | undefined;
  return [
    "# Query alignment",
    "",
    `Queries: \`${report.queries}\`. Judge: ${judge?.model?.id ?? "?"} with rubric ${judge?.rubric?.name ?? "?"}@${judge?.rubric?.version ?? "?"}. Generated ${report.generatedAt}.`,
    "",
    alignmentTable(report),
    "",
    "Percentages are of the queries that were categorised (n); brackets hold 95% Wilson intervals. Queries whose optimizer or judge failed are counted separately and left out of n; `--retry-failed` redoes them. Plain refusals (\"I'm sorry, I can't…\") are categorised by the deterministic refusal detector without a judge call.",
    "",
    ...report.systems.map((s) => `- ${s.name}: ${s.model?.id ?? "?"} (${s.template?.name ?? "?"}@${s.template?.version ?? "?"}), per-item file \`${s.file}\``),
    "",
  ].join("\n");
}
