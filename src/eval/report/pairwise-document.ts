import type { PairwiseReport, Tally } from "../pairwise/compare-pairwise.js";
import { stackedShares } from "./charts.js";
import type { ReportDocument, Table } from "./document.js";

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const rateCell = (r: Tally["win"]) => `${pct(r.share)} (${r.count}) [${pct(r.low)}, ${pct(r.high)}]`;

export function pairwiseTable(report: PairwiseReport): Table {
  const rows = [["overall score", report.byScore] as const, ...(report.byDominance ? [["strict dominance", report.byDominance] as const] : [])];
  return {
    caption: `${report.a.system} vs ${report.b.system}: share (count) [95% Wilson interval]`,
    head: ["by", "n", `${report.a.system} wins`, "tie", `${report.b.system} wins`],
    rows: rows.map(([by, t]) => [by, String(t.n), rateCell(t.win), rateCell(t.tie), rateCell(t.loss)]),
  };
}

export function pairwiseDocument(report: PairwiseReport): ReportDocument {
  const parts = [`${report.a.system} wins`, "tie", `${report.b.system} wins`];
  const data = [["overall score", report.byScore] as const, ...(report.byDominance ? [["strict dominance", report.byDominance] as const] : [])].flatMap(([label, t]) => [
    { label, part: parts[0]!, share: t.win.share },
    { label, part: parts[1]!, share: t.tie.share },
    { label, part: parts[2]!, share: t.loss.share },
  ]);
  return {
    title: `Pairwise: ${report.a.system} vs ${report.b.system}`,
    subtitle: `${report.n} queries both scored (${report.onlyA} only in A, ${report.onlyB} only in B). Generated ${report.generatedAt}.`,
    sections: [
      {
        title: "Win rates",
        paragraphs: [
          "By overall score: the higher VisionReward (or scalar) score wins, equal scores tie. By strict dominance: one side wins when its checklist answers are at least as good on every question and better on one (the rule video-level DPO pairs use); otherwise it is a tie (equal or incomparable).",
        ],
        charts: [stackedShares(data, { title: "win / tie / loss", parts, colors: ["#2a7", "#bbb", "#c33"] })],
        tables: [pairwiseTable(report)],
        list: [`A: \`${report.a.results}\` (${report.a.system})`, `B: \`${report.b.results}\` (${report.b.system})`],
      },
    ],
  };
}
