import { HighlightedText } from "./highlighted-text";
import type { GuardReport as Report } from "./types";

/** What the guard found and did: categories, flagged spans in the query and the first draft, missing items, changes. */
export function GuardReport({ report, query }: { report: Report; query: string }) {
  const draft = report.steps[0]?.prompt;
  return (
    <section class="guard-report" aria-label="Guard report">
      <dl class="facts">
        <dt>Policy</dt>
        <dd>{report.policy}</dd>
        <dt>Categories</dt>
        <dd>{report.categories.length ? report.categories.map((c) => <span key={c} class="chip chip-unsafe">{c}</span>) : <span class="muted">none</span>}</dd>
        <dt>Rounds</dt>
        <dd>{report.rounds}</dd>
        <dt>Coverage</dt>
        <dd>{Math.round(report.coverage * 100)}%</dd>
        {report.missing.length > 0 && (
          <>
            <dt>Missing</dt>
            <dd>{report.missing.join(", ")}</dd>
          </>
        )}
      </dl>
      {report.flagged.query.length > 0 && (
        <p class="flagged-text">
          <span class="muted">Flagged in the query: </span>
          <HighlightedText text={query} flagged={report.flagged.query} label="the query with flagged spans marked" />
        </p>
      )}
      {draft && report.flagged.prompt.length > 0 && (
        <p class="flagged-text">
          <span class="muted">Flagged in the optimizer's first draft: </span>
          <HighlightedText text={draft} flagged={report.flagged.prompt} label="the first draft with flagged spans marked" />
        </p>
      )}
      {report.changes.length > 0 && (
        <ol class="changes" aria-label="What the guard did">
          {report.changes.map((change, i) => (
            <li key={i}>{change}</li>
          ))}
        </ol>
      )}
    </section>
  );
}
