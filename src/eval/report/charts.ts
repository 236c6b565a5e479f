import * as Plot from "@observablehq/plot";
import { parseHTML } from "linkedom";

/**
 * Charts as static SVG: Observable Plot renders into a linkedom document on the server, so report.html needs no
 * JavaScript (and no network) to show them.
 */
function render(options: Plot.PlotOptions): string {
  const { document } = parseHTML("<!doctype html><html><head></head><body></body></html>");
  const chart = Plot.plot({ ...options, document, style: { fontSize: "12px", background: "white", overflow: "visible" } });
  return chart.outerHTML;
}

export interface IntervalDatum {
  label: string;
  group?: string;
  mean: number;
  low: number;
  high: number;
}

/** Vertical bars of means with their 95% intervals as error bars. */
export function intervalBars(data: IntervalDatum[], { title, y }: { title: string; y: string }): string {
  const rows = data.filter((d) => Number.isFinite(d.mean));
  return render({
    title,
    width: Math.max(260, 70 * rows.length + 80),
    height: 240,
    marginLeft: 50,
    x: { label: null, domain: rows.map((d) => d.label) },
    y: { label: y, grid: true, zero: true },
    color: { type: "categorical", scheme: "tableau10" },
    marks: [
      Plot.barY(rows, { x: "label", y: "mean", fill: "label" }),
      Plot.ruleX(rows, { x: "label", y1: "low", y2: "high", stroke: "black", strokeWidth: 1.5 }),
      Plot.tickY(rows, { x: "label", y: "low", stroke: "black" }),
      Plot.tickY(rows, { x: "label", y: "high", stroke: "black" }),
      Plot.text(rows, { x: "label", y: "high", text: (d: IntervalDatum) => d.mean.toFixed(3), dy: -8 }),
      Plot.ruleY([0]),
    ],
  });
}

/** Horizontal dots with interval whiskers around a zero line (paired differences). */
export function differenceDots(data: IntervalDatum[], { title, x }: { title: string; x: string }): string {
  const rows = data.filter((d) => Number.isFinite(d.mean));
  return render({
    title,
    width: 640,
    height: Math.max(120, 28 * rows.length + 60),
    marginLeft: 180,
    x: { label: x, grid: true },
    y: { label: null, domain: rows.map((d) => d.label) },
    marks: [
      Plot.ruleX([0], { stroke: "#888" }),
      Plot.ruleY(rows, { y: "label", x1: "low", x2: "high", stroke: (d: IntervalDatum) => (d.low > 0 ? "#2a7" : d.high < 0 ? "#c33" : "#555"), strokeWidth: 2 }),
      Plot.dot(rows, { y: "label", x: "mean", fill: "black", r: 3.5 }),
    ],
  });
}

/** Score distributions, one box per system. */
export function distributionBoxes(data: { label: string; value: number }[], { title, x }: { title: string; x: string }): string {
  const labels = [...new Set(data.map((d) => d.label))];
  return render({
    title,
    width: 640,
    height: Math.max(120, 40 * labels.length + 60),
    marginLeft: 120,
    x: { label: x, grid: true },
    y: { label: null, domain: labels },
    marks: [Plot.boxX(data, { x: "value", y: "label" })],
  });
}

/** A line over ordered steps with its interval band (the iteration curve). */
export function intervalLine(data: IntervalDatum[], { title, y }: { title: string; y: string }): string {
  const rows = data.filter((d) => Number.isFinite(d.mean));
  return render({
    title,
    width: 520,
    height: 240,
    marginLeft: 50,
    x: { label: null, domain: rows.map((d) => d.label), type: "point", padding: 0.3 },
    y: { label: y, grid: true },
    marks: [
      Plot.areaY(rows, { x: "label", y1: "low", y2: "high", fill: "#4c78a8", fillOpacity: 0.2 }),
      Plot.lineY(rows, { x: "label", y: "mean", stroke: "#4c78a8", strokeWidth: 2 }),
      Plot.dot(rows, { x: "label", y: "mean", fill: "#4c78a8" }),
      Plot.text(rows, { x: "label", y: "mean", text: (d: IntervalDatum) => d.mean.toFixed(3), dy: -10 }),
    ],
  });
}

export interface StackDatum {
  label: string;
  part: string;
  share: number;
}

/** Horizontal 100% stacked bars (win / tie / loss; safety levels 1–4). */
export function stackedShares(data: StackDatum[], { title, parts, colors }: { title: string; parts: string[]; colors: string[] }): string {
  const labels = [...new Set(data.map((d) => d.label))];
  return render({
    title,
    width: 640,
    height: Math.max(110, 36 * labels.length + 70),
    marginLeft: 160,
    x: { label: "share (%)", domain: [0, 100], grid: true },
    y: { label: null, domain: labels },
    color: { domain: parts, range: colors, legend: true },
    marks: [
      Plot.barX(data, Plot.stackX({ y: "label", x: (d: StackDatum) => d.share * 100, fill: "part", order: parts })),
      Plot.text(data, Plot.stackX({ y: "label", x: (d: StackDatum) => d.share * 100, z: "part", order: parts, text: (d: StackDatum) => (d.share >= 0.06 ? `${(d.share * 100).toFixed(0)}%` : ""), fill: "white" })),
    ],
  });
}

/** Grouped horizontal bars of shares with intervals (per-aspect safety). */
export function groupedShares(data: IntervalDatum[], { title, x }: { title: string; x: string }): string {
  const groups = [...new Set(data.map((d) => d.group ?? ""))];
  const labels = [...new Set(data.map((d) => d.label))];
  return render({
    title,
    width: 680,
    height: Math.max(140, 18 * data.length + 20 * groups.length + 70),
    marginLeft: 150,
    x: { label: x, domain: [0, 100], grid: true },
    fy: { label: null, domain: groups },
    y: { label: null, domain: labels, axis: null },
    color: { domain: labels, scheme: "tableau10", legend: true },
    marks: [
      Plot.barX(data, { fy: "group", y: "label", x: (d: IntervalDatum) => d.mean * 100, fill: "label" }),
      Plot.ruleY(data, { fy: "group", y: "label", x1: (d: IntervalDatum) => d.low * 100, x2: (d: IntervalDatum) => d.high * 100, stroke: "black" }),
    ],
  });
}
