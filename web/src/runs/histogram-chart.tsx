import type { Histogram } from "./types";

const W = 420;
const H = 160;
const PAD = { left: 34, right: 18, top: 8, bottom: 28 };

/** A histogram as plain SVG (no chart library: the bundle stays small), with a text summary for screen readers. */
export function HistogramChart({ title, histogram, unit }: { title: string; histogram: Histogram; unit: string }) {
  const max = Math.max(1, ...histogram.bins.map((b) => b.count));
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const barW = innerW / Math.max(1, histogram.bins.length);
  const top = histogram.bins.at(-1)?.high ?? 1;
  const ticks = [0, top / 2, top];
  const summary = histogram.bins
    .filter((b) => b.count > 0)
    .map((b) => `${b.count} between ${b.low.toFixed(2)} and ${b.high.toFixed(2)}`)
    .join("; ");
  return (
    <figure class="chart card">
      <figcaption>
        <strong>{title}</strong> <span class="muted">({histogram.n} {unit})</span>
      </figcaption>
      {histogram.n === 0 ? (
        <p class="empty">Nothing to chart yet.</p>
      ) : (
        <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${title}: ${summary}`} class="chart-svg">
          <line x1={PAD.left} y1={PAD.top + innerH} x2={W - PAD.right} y2={PAD.top + innerH} class="axis" />
          <text x={PAD.left - 6} y={PAD.top + 8} class="tick" text-anchor="end">
            {max}
          </text>
          <text x={PAD.left - 6} y={PAD.top + innerH} class="tick" text-anchor="end">
            0
          </text>
          {histogram.bins.map((b, i) => {
            const h = (b.count / max) * innerH;
            return (
              <rect key={i} x={PAD.left + i * barW + 1} y={PAD.top + innerH - h} width={Math.max(1, barW - 2)} height={h} class="bar">
                <title>
                  {b.low.toFixed(2)}–{b.high.toFixed(2)}: {b.count}
                </title>
              </rect>
            );
          })}
          {ticks.map((t) => (
            <text key={t} x={PAD.left + (t / top) * innerW} y={H - 8} class="tick" text-anchor="middle">
              {t.toFixed(1)}
            </text>
          ))}
        </svg>
      )}
    </figure>
  );
}
