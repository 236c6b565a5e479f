import { ApiError } from "../shared/api";
import { ErrorNote, Loading, Empty } from "../shared/async-state";
import { onLinkClick } from "../shared/router";
import { useResource } from "../shared/use-resource";
import { fetchRuns } from "./runs-api";
import { StageBar, StatusBadge } from "./stage-bar";
import type { RunSummary } from "./types";

const when = (iso: string) => new Date(iso).toLocaleString();

/** Every run under --runs DIR, newest first; refreshed while one of them is running. */
export function RunList() {
  const runs = useResource("runs", fetchRuns, { pollMs: 3000, poll: (d) => d.runs.some((r) => "active" in r && r.active) });
  const active = runs.data?.runs.some((r) => "active" in r && r.active);
  return (
    <section aria-labelledby="runs-title">
      <h1 id="runs-title">Pipeline runs</h1>
      {runs.error instanceof ApiError && runs.error.status === 404 ? (
        <Empty>
          This server has no run browser: start it with <code>vpo serve --runs DIR</code>, DIR being the folder that holds your <code>vpo data</code> run directories.
        </Empty>
      ) : (
        runs.error !== undefined && <ErrorNote error={runs.error} retry={runs.reload} />
      )}
      {!runs.data && !runs.error && <Loading what="runs" />}
      {runs.data && runs.data.runs.length === 0 && (
        <Empty>
          No runs here yet. Start one with <code>vpo data dpo --out DIR/NAME …</code>, or serve the folder that holds your run directories with{" "}
          <code>vpo serve --runs DIR</code>.
        </Empty>
      )}
      {runs.data && runs.data.runs.length > 0 && (
        <ul class="run-cards" aria-live={active ? "polite" : "off"}>
          {runs.data.runs.map((run) =>
            "error" in run ? (
              <li key={run.name} class="card">
                <strong>{run.name}</strong> <span class="badge badge-bad">unreadable</span>
                <p class="muted">{run.error}</p>
              </li>
            ) : (
              <RunCard key={run.name} run={run} />
            ),
          )}
        </ul>
      )}
    </section>
  );
}

function RunCard({ run }: { run: RunSummary }) {
  const percent = run.total ? Math.round((run.finished / run.total) * 100) : 0;
  return (
    <li class="card run-card">
      <div class="run-card-head">
        <a class="run-name" href={`/runs/${encodeURIComponent(run.name)}`} onClick={onLinkClick}>
          {run.name}
        </a>
        <span class="badge badge-info">{run.pipeline}</span>
        <StatusBadge active={run.active} outcome={run.lastOutcome} />
      </div>
      <StageBar stage={sum(run)} />
      <p class="muted small-text">
        {percent}% of {run.total} items finished{run.failed ? `, ${run.failed} failed` : ""} · {run.stages.map((s) => `${s.stage} ${s.done}/${s.done + s.failed + s.pending + s.running}`).join(" · ")} · started {when(run.createdAt)}
      </p>
    </li>
  );
}

const sum = (run: RunSummary) =>
  run.stages.reduce((t, s) => ({ done: t.done + s.done, failed: t.failed + s.failed, running: t.running + s.running, pending: t.pending + s.pending }), { done: 0, failed: 0, running: 0, pending: 0 });
