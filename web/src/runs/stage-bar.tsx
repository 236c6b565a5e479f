import type { StageStatus } from "./types";

/** One stage's items as a stacked bar: done, failed, running, pending. */
export function StageBar({ stage }: { stage: Pick<StageStatus, "done" | "failed" | "running" | "pending"> }) {
  const total = stage.done + stage.failed + stage.running + stage.pending;
  const parts = [
    ["done", stage.done],
    ["failed", stage.failed],
    ["running", stage.running],
    ["pending", stage.pending],
  ] as const;
  const finished = total ? Math.round(((stage.done + stage.failed) / total) * 100) : 0;
  return (
    <div class="stage-bar" role="img" aria-label={`${finished}% finished: ${stage.done} done, ${stage.failed} failed, ${stage.running} running, ${stage.pending} pending`}>
      {parts.map(([name, n]) => (n > 0 ? <span key={name} class={`seg seg-${name}`} style={{ width: `${(n / total) * 100}%` }} /> : null))}
    </div>
  );
}

export function StatusBadge({ active, outcome }: { active: boolean; outcome?: string }) {
  if (active) return <span class="badge badge-info">running now</span>;
  const tone = outcome === "completed" ? "ok" : outcome === "stopped" ? "warn" : outcome ? "bad" : "info";
  return <span class={`badge badge-${tone}`}>{outcome ?? "idle"}</span>;
}
