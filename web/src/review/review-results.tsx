import { ErrorNote, Loading } from "../shared/async-state";
import { onLinkClick } from "../shared/router";
import { useResource } from "../shared/use-resource";
import { fetchReport } from "./review-api";
import { StackedBars } from "./stacked-bars";
import type { Rate } from "./types";

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const kappa = (x: number | undefined) => (x === undefined ? "–" : x.toFixed(3));

function RateCell({ rate, label }: { rate: Rate; label: string }) {
  return (
    <td data-label={label}>
      <span>
        <strong>{pct(rate.share)}</strong> <span class="muted small-text">
          ({rate.count}/{rate.n}) [{pct(rate.low)}, {pct(rate.high)}]
        </span>
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
        <div class="results">
          <p>
            <strong>A</strong> = {r.labels.a}, <strong>B</strong> = {r.labels.b} · {r.items} items · {r.reviewers.length} reviewer(s){r.reviewers.length ? `: ${r.reviewers.join(", ")}` : ""}
          </p>
          <div class="card">
            <StackedBars questions={r.questions} labels={r.labels} />
          </div>
          <div class="card">
            <table class="results-table stack-on-phone">
              <caption class="visually-hidden">Win, tie and loss rates with 95% confidence intervals</caption>
              <thead>
                <tr>
                  <th scope="col">question</th>
                  <th scope="col">votes</th>
                  <th scope="col">{r.labels.a} wins (A)</th>
                  <th scope="col">tie</th>
                  <th scope="col">{r.labels.b} wins (B)</th>
                </tr>
              </thead>
              <tbody>
                {r.questions.map((q) => (
                  <tr key={q.question} data-question={q.question}>
                    <th scope="row">{q.title}</th>
                    <td data-label="votes">{q.n}</td>
                    <RateCell rate={q.win} label={`${r.labels.a} wins`} />
                    <RateCell rate={q.tie} label="tie" />
                    <RateCell rate={q.loss} label={`${r.labels.b} wins`} />
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {r.questions.some((q) => q.agreement) && (
            <div class="card">
              <h2>Agreement between reviewers</h2>
              <table class="agreement-table stack-on-phone">
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
                      <td data-label="items rated by 2+">{q.agreement?.items ?? 0}</td>
                      <td data-label="raw agreement">{q.agreement ? pct(q.agreement.raw) : "–"}</td>
                      <td data-label="Fleiss' κ">{kappa(q.agreement?.fleissKappa)}</td>
                      <td data-label="Cohen's κ">{kappa(q.agreement?.cohenKappa)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <p class="muted small-text">{r.method}</p>
        </div>
      )}
    </section>
  );
}
