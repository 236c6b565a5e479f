import type { ReadCounts } from "./read-and-filter.js";
import type { InputFormat } from "./readers/types.js";
import type { CurateConfig } from "./rules/config.js";
import type { SafetySource } from "../safety/curation-screen.js";

export interface StepCount {
  step: "read" | "normalise" | "deduplicate" | "rules" | "self-bleu";
  in: number;
  out: number;
  /** Dropped rows by reason code. */
  dropped: Record<string, number>;
}

export interface CurateReport {
  input: { path: string; format: InputFormat; column?: string; detoxifyColumns: string[]; rows: number; bytes: number };
  settings: { rules: boolean; safety: boolean; selfBleu: number | null; safetyJudge: string | null; config: CurateConfig };
  steps: StepCount[];
  kept: number;
  malformed: { count: number; rows: { index: number; line?: number; error: string }[] };
  recoded: { count: number; lines: number[] };
  safety: {
    source: SafetySource | "disabled";
    candidates: number;
    judged: number;
    reusedVerdicts: number;
    confirmed: number;
    cleared: number;
    judgeFailed: number;
    note?: string;
  };
  sampling: {
    seed: number;
    sftShare: number;
    requested: { general: number; safety: number };
    available: { general: number; safety: number };
    sampled: { general: number; safety: number };
    sft: { general: number; safety: number };
    dpo: { general: number; safety: number };
  };
  histograms: { words: Record<string, Record<string, number>>; chars: Record<string, Record<string, number>> };
  /** Pairs the self-BLEU filter verified exactly (a naive walk verifies every candidate against every kept query). */
  selfBleuVerifiedPairs?: number;
  timingMs: { read: number; selfBleu: number; safety: number; write: number; total: number };
  warnings: string[];
  outputs: Record<string, string>;
}

/** Rows in and out of each step, with the drops by reason. */
export function stepCounts(counts: ReadCounts, kept: number): StepCount[] {
  const afterRead = counts.rows - counts.malformed;
  const afterNormalise = afterRead - counts.empty;
  const afterDedupe = afterNormalise - counts.duplicate;
  const selfBleu = counts.survivors - kept;
  return [
    { step: "read", in: counts.rows, out: afterRead, dropped: counts.malformed ? { malformed: counts.malformed } : {} },
    { step: "normalise", in: afterRead, out: afterNormalise, dropped: counts.empty ? { empty: counts.empty } : {} },
    { step: "deduplicate", in: afterNormalise, out: afterDedupe, dropped: counts.duplicate ? { duplicate: counts.duplicate } : {} },
    { step: "rules", in: afterDedupe, out: counts.survivors, dropped: counts.rules },
    { step: "self-bleu", in: counts.survivors, out: kept, dropped: selfBleu ? { "self-bleu": selfBleu } : {} },
  ];
}

const table = (head: string[], rows: (string | number)[][]) =>
  [`| ${head.join(" | ")} |`, `| ${head.map(() => "---").join(" | ")} |`, ...rows.map((r) => `| ${r.join(" | ")} |`)].join("\n");

/** The report as Markdown: counts per step and reason, safety, sampling, length histograms. */
export function reportMarkdown(report: CurateReport): string {
  const r = report;
  const out: string[] = [`# Curation report`, "", `Input: \`${r.input.path}\` (${r.input.format}, ${r.input.rows} rows${r.input.detoxifyColumns.length ? `, Detoxify: ${r.input.detoxifyColumns.join(", ")}` : ""})`, ""];
  out.push(`Settings: rules ${r.settings.rules ? "on" : "off"}, self-BLEU ${r.settings.selfBleu === null ? "off" : `τ = ${r.settings.selfBleu}`}, safety ${r.settings.safety ? "on" : "off"}${r.settings.safetyJudge ? ` (judge: ${r.settings.safetyJudge})` : ""}, seed ${r.sampling.seed}`, "");
  if (r.warnings.length) out.push("## Warnings", "", ...r.warnings.map((w) => `- ${w}`), "");
  out.push("## Steps", "", table(["step", "in", "out", "dropped (reason: count)"], r.steps.map((s) => [s.step, s.in, s.out, Object.entries(s.dropped).map(([k, v]) => `${k}: ${v}`).join(", ") || "–"])), "");
  out.push(`Kept after all filters: **${r.kept}** (\`kept.jsonl\`).`, "");
  if (r.malformed.count) {
    out.push(`## Malformed rows (${r.malformed.count})`, "", table(["index", "line", "error"], r.malformed.rows.slice(0, 50).map((m) => [m.index, m.line ?? "", m.error.replace(/\|/g, "\\|")])), "");
    if (r.malformed.count > 50) out.push(`…and ${r.malformed.count - 50} more in report.json / dropped.jsonl.`, "");
  }
  if (r.recoded.count) out.push(`${r.recoded.count} rows were not valid UTF-8 and were read as Windows-1252 (lines ${r.recoded.lines.slice(0, 20).join(", ")}${r.recoded.count > 20 ? ", …" : ""}).`, "");
  const s = r.safety;
  out.push("## Safety", "", `Source: ${s.source}. Candidates: ${s.candidates}; judged: ${s.judged} (${s.reusedVerdicts} reused); confirmed: ${s.confirmed}; cleared: ${s.cleared}; judge failures: ${s.judgeFailed}.`, "");
  if (s.note) out.push(`> ${s.note}`, "");
  const p = r.sampling;
  out.push(
    "## Sampling and splits",
    "",
    table(
      ["pool", "requested", "available", "sampled", "SFT", "DPO"],
      (["general", "safety"] as const).map((pool) => [pool, p.requested[pool], p.available[pool], p.sampled[pool], p.sft[pool], p.dpo[pool]]),
    ),
    "",
  );
  for (const [name, histogram] of [["words", r.histograms.words], ["characters", r.histograms.chars]] as const) {
    const sets = Object.keys(histogram);
    const buckets = Object.keys(histogram[sets[0]!] ?? {});
    out.push(`## Length histogram (${name})`, "", table([name, ...sets], buckets.map((b) => [b, ...sets.map((set) => histogram[set]![b] ?? 0)])), "");
  }
  const t = r.timingMs;
  out.push(`Time: read ${(t.read / 1000).toFixed(1)} s, self-BLEU ${(t.selfBleu / 1000).toFixed(1)} s, safety ${(t.safety / 1000).toFixed(1)} s, write ${(t.write / 1000).toFixed(1)} s, total ${(t.total / 1000).toFixed(1)} s.`, "");
  return out.join("\n");
}
