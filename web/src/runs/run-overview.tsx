import { ErrorNote, Loading } from "../shared/async-state";
import { useResource } from "../shared/use-resource";
import { HistogramChart } from "./histogram-chart";
import { fetchCharts } from "./runs-api";
import { StageBar } from "./stage-bar";
import type { RunDetail } from "./types";

/** Stages with counts and progress, failure reasons grouped, and (DPO runs) the score and gap charts. */
export function RunOverview({ run }: { run: RunDetail }) {
  const charts = useResource(`charts:${run.name}`, (signal) => fetchCharts(run.name, signal), { pollMs: 4000, poll: run.active });
  return (
    <div class="overview">
      <div class="card">
        <h2>Stages</h2>
        <div class="table-wrap">
          <table class="stage-table">
            <thead>
              <tr>
                <th scope="col">stage</th>
                <th scope="col">progress</th>
                <th scope="col">done</th>
                <th scope="col">failed</th>
                <th scope="col">running</th>
                <th scope="col">pending</th>
              </tr>
            </thead>
            <tbody>
              {run.stages.map((s) => (
                <tr key={s.stage}>
                  <th scope="row">{s.stage}</th>
                  <td class="bar-cell">
                    <StageBar stage={s} />
                  </td>
                  <td>{s.done}</td>
                  <td class={s.failed ? "bad-text" : ""}>{s.failed}</td>
                  <td>{s.running}</td>
                  <td>{s.pending}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p class="muted small-text">
          {run.sessions.started} invocation(s){run.sessions.crashed ? `, ${run.sessions.crashed} ended by a crash or kill` : ""} · run id <span class="mono">{run.id}</span> · started {new Date(run.createdAt).toLocaleString()}
        </p>
      </div>
      {run.failures.length > 0 && (
        <div class="card">
          <h2>Why items failed</h2>
          <ul class="failures">
            {run.failures.map((f, i) => (
              <li key={i}>
                <span class="badge badge-bad">{f.count}×</span>{" "}
                <span class="mono">
                  {f.stage}
                  {f.step ? `/${f.step}` : ""} [{f.code}]
                </span>{" "}
                {f.message} <span class="muted">(e.g. {f.examples.join(", ")})</span>
              </li>
            ))}
          </ul>
          <p class="muted small-text">
            Re-run the same <code>vpo data {run.pipeline}</code> command with <code>--retry-failed</code> to retry them; steps that worked are kept.
          </p>
        </div>
      )}
      {run.pipeline === "dpo" && (
        <>
          {charts.error !== undefined && <ErrorNote error={charts.error} retry={charts.reload} />}
          {!charts.data && !charts.error && <Loading what="charts" />}
          {charts.data && (
            <div class="grid">
              <HistogramChart title="Reward scores of rendered candidates" histogram={charts.data.scores} unit="videos" />
              <HistogramChart title="Score gaps of video pairs (chosen − rejected)" histogram={charts.data.gaps} unit="pairs" />
              <div class="card pair-counts">
                <h3>Pairs</h3>
                <p>
                  <strong>{charts.data.pairs.text}</strong> text pairs (refined ≻ flagged)
                </p>
                <p>
                  <strong>{charts.data.pairs.video}</strong> video pairs (strict dominance, gap &gt; 0.5)
                </p>
              </div>
            </div>
          )}
        </>
      )}
    </div>
  );
}
