import type { MeanInterval } from "../bench/bootstrap.js";
import type { BenchReport } from "../bench/bench-report.js";
import { differenceDots, distributionBoxes, intervalBars, intervalLine } from "./charts.js";
import type { ReportDocument, Section, Table } from "./document.js";

const num = (x: number, digits = 3) => (Number.isFinite(x) ? x.toFixed(digits) : "–");
const signed = (x: number, digits = 3) => (Number.isFinite(x) ? `${x >= 0 ? "+" : ""}${x.toFixed(digits)}` : "–");
export const meanCell = (m: MeanInterval | undefined) => (m && m.n ? `${num(m.mean)} [${num(m.low)}, ${num(m.high)}]` : "–");
/** A paired difference; ▲/▼ when its interval excludes zero. */
export const diffCell = (m: MeanInterval | undefined) => (m && m.n ? `${signed(m.mean)} [${signed(m.low)}, ${signed(m.high)}]${m.low > 0 ? " ▲" : m.high < 0 ? " ▼" : ""}` : "–");
export const formatMs = (ms: number) => (ms < 1000 ? `${ms} ms` : ms < 120_000 ? `${(ms / 1000).toFixed(1)} s` : `${(ms / 60_000).toFixed(1)} min`);

export function benchTables(report: BenchReport): { means: Table; diff?: Table; categories?: Table } {
  const means: Table = {
    caption: `mean [95% bootstrap interval], n = queries scored`,
    head: ["system", "n", ...report.columns],
    rows: report.systems.map((s) => [s.name, String(s.scored), ...report.columns.map((c) => meanCell(s.columns[c]))]),
  };
  const others = report.systems.filter((s) => s.vsBaseline);
  const diff: Table | undefined = others.length
    ? {
        caption: `paired difference against ${report.baseline} over the queries both scored: mean [95% bootstrap interval]; ▲/▼ when the interval excludes 0`,
        head: ["system", "n", ...report.columns],
        rows: others.map((s) => [s.name, String(s.vsBaseline![report.mainColumn]?.n ?? 0), ...report.columns.map((c) => diffCell(s.vsBaseline![c]))]),
      }
    : undefined;
  const categories: Table | undefined = report.categories.length > 1
    ? {
        caption: `${report.mainColumn} per category: mean [95% bootstrap interval] (n)`,
        head: ["category", ...report.systems.map((s) => s.name)],
        rows: report.categories.map((cat) => [cat, ...report.systems.map((s) => { const m = s.byCategory[cat]?.[report.mainColumn]; return m?.n ? `${meanCell(m)} (${m.n})` : "–"; })]),
      }
    : undefined;
  return { means, ...(diff ? { diff } : {}), ...(categories ? { categories } : {}) };
}

export function benchSections(report: BenchReport): Section[] {
  const tables = benchTables(report);
  const iterative = report.kind === "iterative";
  const sections: Section[] = [
    {
      title: iterative ? "Scores per re-optimization step" : "Scores",
      paragraphs: [
        `Every video is rendered from the system's prompt and scored against the ORIGINAL query (the VBench protocol). ${report.queries} queries; intervals are 95% percentile bootstraps (${report.bootstrap.resamples} resamples, seed ${report.bootstrap.seed}).`,
        ...(report.iterative ? [`Early stop: ${report.iterative.earlyStopped} of ${report.iterative.optimized} queries stopped changing before iteration ${report.iterative.iterations} (${Object.entries(report.iterative.stoppedAt).map(([k, v]) => `${v} at iteration ${k}`).join(", ") || "none"}); a stopped query keeps its last prompt, so its later steps reuse the same video.`] : []),
      ],
      tables: [tables.means],
      charts: iterative
        ? report.columns.map((c) => intervalLine(report.systems.map((s) => ({ label: s.name, ...s.columns[c]! })), { title: c, y: c }))
        : report.columns.map((c) => intervalBars(report.systems.map((s) => ({ label: s.name, ...s.columns[c]! })), { title: c, y: c })),
    },
  ];
  if (tables.diff) {
    sections.push({
      title: `Difference against ${report.baseline}`,
      tables: [tables.diff],
      charts: [differenceDots(report.systems.filter((s) => s.vsBaseline).flatMap((s) => report.columns.map((c) => ({ label: `${s.name} · ${c}`, ...s.vsBaseline![c]! }))), { title: `paired difference vs ${report.baseline}`, x: "difference" })],
    });
  }
  const q = (xs: number[], p: number) => {
    if (!xs.length) return Number.NaN;
    const sorted = [...xs].sort((a, b) => a - b);
    const at = (sorted.length - 1) * p;
    return sorted[Math.floor(at)]! + (sorted[Math.ceil(at)]! - sorted[Math.floor(at)]!) * (at - Math.floor(at));
  };
  sections.push({
    title: "Score distribution",
    tables: [
      {
        caption: `${report.mainColumn} per video`,
        head: ["system", "n", "min", "25%", "median", "75%", "max"],
        rows: report.systems.map((s) => [s.name, String(s.scores.length), ...[0, 0.25, 0.5, 0.75, 1].map((p) => num(q(s.scores, p)))]),
      },
    ],
    charts: [distributionBoxes(report.systems.flatMap((s) => s.scores.map((value) => ({ label: s.name, value }))), { title: `${report.mainColumn} per video`, x: report.mainColumn })],
  });
  if (tables.categories) sections.push({ title: "By category", tables: [tables.categories] });
  sections.push({
    title: "Failures and costs",
    tables: [
      {
        head: ["system", "rows", "scored", "optimizer failed", "video failed", "reward failed"],
        rows: report.systems.map((s) => [s.name, String(s.rows), String(s.scored), String(s.failed.optimizer), String(s.failed.video), String(s.failed.reward)]),
      },
      {
        head: ["optimizer requests", "input tokens", "output tokens", "videos rendered", "videos from cache", "reward calls", "rewards from cache", "work time"],
        rows: [[String(report.costs.requests), String(report.costs.inputTokens), String(report.costs.outputTokens), String(report.costs.videosRendered), String(report.costs.videosFromCache), String(report.costs.rewardCalls), String(report.costs.rewardsFromCache), formatMs(report.costs.workMs)]],
        align: ["right", "right", "right", "right", "right", "right", "right", "right"],
      },
    ],
    list: [
      ...(report.video ? [`video backend: \`${report.video.id}\``] : []),
      ...(report.scorer ? [`scorer: \`${report.scorer.id}\``] : []),
      ...report.systems.filter((s) => s.optimizer).map((s) => `${s.name}: ${s.optimizer!.model.id}${s.optimizer!.model.baseUrl ? ` at ${s.optimizer!.model.baseUrl}` : ""}, template ${s.optimizer!.template.name}@${s.optimizer!.template.version}`),
    ],
  });
  return sections;
}

export function benchDocument(report: BenchReport): ReportDocument {
  return {
    title: report.kind === "iterative" ? `Iterative re-optimization: ${report.suite}` : `Benchmark: ${report.suite}`,
    subtitle: `${report.queries} queries${report.limit !== undefined ? ` (seeded sample of ${report.limit}, seed ${report.seed})` : ""} × ${report.systems.length} systems. Generated ${report.generatedAt}.`,
    sections: benchSections(report),
  };
}
