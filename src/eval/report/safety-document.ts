import { percent, rateCell } from "../rate.js";
import type { SafetyReport, SafetyShares } from "../safety/safety-report.js";
import { groupedShares, stackedShares } from "./charts.js";
import type { ReportDocument, Section, Table } from "./document.js";
import { formatMs } from "./bench-document.js";

const short = (r: { share: number; count: number; n: number }) => `${percent(r.share)} (${r.count}/${r.n})`;

function sharesRow(label: string, s: SafetyShares, checkers: string[]): string[] {
  return [label, String(s.n), ...checkers.map((c) => short(c === "screen" ? s.unsafe.screen : c === "judge" ? s.unsafe.judge! : s.unsafe.safetyModel!)), rateCell(s.unsafe.any), short(s.refused), short(s.sanitized), String(s.failed)];
}

export function safetyTables(report: SafetyReport): { aspects: Table; overRefusal?: Table; labels?: Table; levels?: Table } {
  const head = ["system · aspect", "n", ...report.checkers.map((c) => `unsafe by ${c}`), "unsafe by any [95%]", "refused", "sanitized", "failed"];
  const aspects: Table = {
    caption: "share of queries whose prompt is still unsafe, refused or sanitized",
    head,
    rows: report.systems.flatMap((s) => [...report.aspects.map((a) => sharesRow(`${s.name} · ${a}`, s.aspects[a]!, report.checkers)), sharesRow(`${s.name} · all`, s.overall, report.checkers)]),
  };
  const withOver = report.systems.filter((s) => s.overRefusal);
  const overRefusal: Table | undefined = withOver.length
    ? { caption: "benign queries with edgy words that were refused or sanitized (should have passed)", head: ["system", "n", "refused", "sanitized", "over-refusal [95%]"], rows: withOver.map((s) => [s.name, String(s.overRefusal!.n), short(s.overRefusal!.refused), short(s.overRefusal!.sanitized), rateCell(s.overRefusal!.either)]) }
    : undefined;
  const labels: Table | undefined = report.labels?.length
    ? {
        caption: "each checker against the labels (query-level): share [95% Wilson interval]",
        head: ["checker", "n", "TP", "FP", "FN", "TN", "precision", "recall", "false-positive rate", "FPR on edgy-benign"],
        rows: report.labels.map((c) => [c.checker, String(c.n), String(c.tp), String(c.fp), String(c.fn), String(c.tn), rateCell(c.precision), rateCell(c.recall), rateCell(c.falsePositiveRate), c.edgyFalsePositiveRate ? rateCell(c.edgyFalsePositiveRate) : "–"]),
      }
    : undefined;
  const withLevels = report.systems.filter((s) => s.levels);
  const levels: Table | undefined = withLevels.length
    ? { caption: "rendered videos per safety level (1 completely safe … 4 extremely unsafe)", head: ["system", "videos", "level 1", "level 2", "level 3", "level 4", "refused (no video)"], rows: withLevels.map((s) => [s.name, String(s.levels!.n), ...s.levels!.shares.map(short), String(s.levels!.noVideo)]) }
    : undefined;
  return { aspects, ...(overRefusal ? { overRefusal } : {}), ...(labels ? { labels } : {}), ...(levels ? { levels } : {}) };
}

export function safetyDocument(report: SafetyReport): ReportDocument {
  const t = safetyTables(report);
  const sections: Section[] = [
    {
      title: "Per aspect",
      paragraphs: [`Checkers: ${report.checkers.join(", ")}. A refused query has no prompt and counts as not unsafe. Sanitized: the guard's verdict, or, without a guard, a query the screen flags whose prompt every checker passes.`],
      charts: [groupedShares(report.systems.flatMap((s) => [...report.aspects, "all"].map((a) => ({ group: a, label: s.name, ...(a === "all" ? s.overall : s.aspects[a]!).unsafe.any, mean: (a === "all" ? s.overall : s.aspects[a]!).unsafe.any.share }))), { title: "still unsafe (any checker), per aspect", x: "unsafe (%)" })],
      tables: [t.aspects],
    },
  ];
  if (t.overRefusal) sections.push({ title: "Over-refusal", tables: [t.overRefusal], charts: [groupedShares(report.systems.filter((s) => s.overRefusal).map((s) => ({ group: "over-refusal", label: s.name, mean: s.overRefusal!.either.share, low: s.overRefusal!.either.low, high: s.overRefusal!.either.high })), { title: "refused or sanitized benign queries", x: "share (%)" })] });
  if (t.levels) {
    const parts = ["level 1", "level 2", "level 3", "level 4"];
    sections.push({ title: "Video safety levels (Fig. 4)", tables: [t.levels], charts: [stackedShares(report.systems.filter((s) => s.levels).flatMap((s) => s.levels!.shares.map((r, i) => ({ label: s.name, part: parts[i]!, share: r.share }))), { title: "videos per safety level", parts, colors: ["#2a7", "#9c6", "#e93", "#c33"] })] });
  }
  if (t.labels) sections.push({ title: "Checkers against the labels", paragraphs: [`Labels: \`${report.labelsFile}\`.`], tables: [t.labels] });
  sections.push({ title: "Costs", list: [`model requests ${report.costs.requests} (${report.costs.inputTokens} input, ${report.costs.outputTokens} output tokens), videos rendered ${report.costs.videos}, work time ${formatMs(report.costs.workMs)}`] });
  return { title: `Safety: ${report.suite}`, subtitle: `${report.systems.length} systems, ${report.aspects.length} aspects${report.benign ? `, over-refusal suite \`${report.benign}\`` : ""}. Generated ${report.generatedAt}.`, sections };
}
