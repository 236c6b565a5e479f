import { ErrorNote, Loading } from "../shared/async-state";
import { onLinkClick } from "../shared/router";
import { useResource } from "../shared/use-resource";
import { fetchReport } from "./review-api";
import { StackedBars } from "./stacked-bars";
import type { Rate } from "./types";

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const kappa = (x: number | undefined) => (x === undefined ? "–" : x.toFixed(3));

function RateCell({ rate }: { rate: Rate }) {
  return (
    <td>
      <strong>{pct(rate.share)}</strong> <span class="muted small-text">
        ({rate.count}/{rate.n}) [{pct(rate.low)}, {pct(rate.high)}]
      </span>
    </td>
  );
}

/** Win / tie / loss per question with 95% Wilson intervals, and agreement between reviewers (un-blinded). */
export function ReviewResults({ name }: { name: string }) {
  const report = useResource(`report:${name}`, (signal) => fetchReport(name, signal));
  const r = report.data;
  return (
    <section aria-labelledby="results-title">
      <div class="review-head">
        <h1 id="results-title">Results of {name}</h1>
        <a href={`/review/${encodeURIComponent(name)}`} onClick={onLinkClick}>
          Back to reviewing
        </a>
        <button type="button" class="secondary small" onClick={report.reload}>
          Refresh
        </button>
      </div>
      {report.error !== undefined && <ErrorNote error={report.error} retry={report.reload} />}
      {!r && !report.error && <Loading what="the results" />}
      {r && (
        <>
          <p>
            <strong>A</strong> = {r.labels.a}, <strong>B</strong> = {r.labels.b} · {r.items} items · {r.reviewers.length} reviewer(s){r.reviewers.length ? `: ${r.reviewers.join(", ")}` : ""}
          </p>
          <div class="card">
            <StackedBars questions={r.questions} labels={r.labels} />
          </div>
          <div class="card table-wrap">
            <table class="results-table">
              <caption class="visually-hidden">Win, tie and loss rates with 95% confidence intervals</caption>
              <thead>
                <tr>
                  <th scope="col">question</th>
                  <th scope="col">votes</th>
                  <th scope="col">A wins</th>
                  <th scope="col">tie</th>
                  <th scope="col">B wins</th>
                </tr>
              </thead>
              <tbody>
                {r.questions.map((q) => (
                  <tr key={q.question} data-question={q.question}>
                    <th scope="row">{q.title}</th>
                    <td>{q.n}</td>
                    <RateCell rate={q.win} />
                    <RateCell rate={q.tie} />
                    <RateCell rate={q.loss} />
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {r.questions.some((q) => q.agreement) && (
            <div class="card table-wrap">
              <h2>Agreement between reviewers</h2>
              <table class="agreement-table">
                <thead>
                  <tr>
                    <th scope="col">question</th>
                    <th scope="col">items rated by 2+</th>
                    <th scope="col">raw agreement</th>
                    <th scope="col">Fleiss' κ</th>
                    <th scope="col">Cohen's κ</th>
                  </tr>
                </thead>
                <tbody>
                  {r.questions.map((q) => (
                    <tr key={q.question} data-question={q.question}>
                      <th scope="row">{q.title}</th>
                      <td>{q.agreement?.items ?? 0}</td>
                      <td>{q.agreement ? pct(q.agreement.raw) : "–"}</td>
                      <td>{kappa(q.agreement?.fleissKappa)}</td>
                      <td>{kappa(q.agreement?.cohenKappa)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <p class="muted small-text">{r.method}</p>
        </>
      )}
    </section>
  );
}
