import { useEffect, useState } from "preact/hooks";
import { ErrorNote } from "../shared/async-state";
import { AcceptActions } from "./accept-actions";
import { CheckSummary } from "./check-summary";
import { GuardReport } from "./guard-report";
import { HighlightedText } from "./highlighted-text";
import { IntentItems } from "./intent-items";
import { JudgeVerdict } from "./judge-verdict";
import { PromptEditor } from "./prompt-editor";
import { PromptLength } from "./prompt-length";
import { SelectionScores } from "./selection-scores";
import { StatusBadge } from "./status-badge";
import type { QueryReading } from "./types";
import { useCandidate, type Run } from "./use-candidate";
import { WordDiff } from "./word-diff";

/** One candidate side by side with the others: its prompt as it streams, then its diff, reports and actions. */
export function CandidateCard({ run, index, reading, onBusy }: { run: Run; index: number; reading: QueryReading | undefined; onBusy: (index: number, busy: boolean) => void }) {
  const { view, recheck, retry } = useCandidate(run, index);
  const [editing, setEditing] = useState(false);
  const name = `candidate ${index + 1}`;
  const seed = run.settings.seed + index;
  const report = view.result?.report;
  // A guarded run was judged by the guard (its last round); an edit only by its own re-check.
  const judge = view.edited ? view.assessment?.judge : (view.assessment?.judge ?? report?.steps.at(-1)?.judge);
  const dropped = view.assessment?.intent.items.filter((i) => i.status === "missing" || i.status === "contradicted") ?? [];
  const queryText = reading?.text ?? run.query;
  const busy = view.phase === "waiting" || view.phase === "streaming";
  useEffect(() => onBusy(index, busy), [index, busy, onBusy]);

  return (
    <article class="card candidate" aria-label={name} aria-busy={busy} data-testid="candidate">
      <header class="candidate-head">
        <h3>Candidate {index + 1}</h3>
        <span class="muted small-print">seed {seed}</span>
        <span class="spacer" />
        {view.selected?.winner && (
          <span class="badge badge-ok badge-best" data-testid="best-badge" title={`picked by ${view.selected.method}`}>
            best
          </span>
        )}
        {view.phase === "done" && !view.edited && <StatusBadge status={report?.status ?? "unguarded"} />}
        {view.edited && <span class="badge badge-info" title="your edit; the guard report below is of the original">edited</span>}
      </header>

      {view.phase === "failed" ? (
        <ErrorNote error={view.error} retry={retry} />
      ) : view.phase === "stopped" ? (
        <div class="stopped" role="status">
          <p class="muted">Stopped{view.text ? ` after: ${view.text}` : "."}</p>
        </div>
      ) : editing ? (
        <PromptEditor
          initial={view.text}
          label={name}
          busy={view.assessing}
          onCancel={() => setEditing(false)}
          onCheck={(prompt) => {
            recheck(prompt);
            setEditing(false);
          }}
        />
      ) : (
        <div class="prompt" aria-live={busy ? "polite" : "off"} data-testid="candidate-prompt">
          {view.phase === "waiting" && (
            <p class="loading" role="status">
              <span class="spinner" aria-hidden="true" /> {run.selection ? `Sampling ${run.settings.candidates} candidates, then picking the best…` : run.settings.guard === "off" ? "Waiting for the first tokens…" : "Optimizing, then checking with the guard…"}
            </p>
          )}
          {view.text && (view.assessment ? <HighlightedText text={view.text} flagged={view.assessment.unsafe} /> : view.text)}
          {view.phase === "streaming" && <span class="caret" aria-hidden="true" />}
          {view.phase === "done" && !view.result?.prompt && !view.edited && <p class="refused">{view.result?.error?.message ?? "No prompt."}</p>}
        </div>
      )}

      {view.selected && <SelectionScores selected={view.selected} />}
      {view.phase === "done" && view.text && !editing && (
        <>
          <div class="row candidate-meta">
            <PromptLength text={view.text} />
            {view.assessment && !view.assessing && <CheckSummary assessment={view.assessment} edited={view.edited} />}
          </div>
          <div class="row candidate-actions">
            <AcceptActions prompt={view.text} flags={view.result?.flags ?? reading?.flags ?? { other: {} }} seed={seed} label={name} />
            <span class="spacer" />
            <button type="button" class="small secondary" onClick={() => setEditing(true)} aria-label={`Edit ${name}`}>
              Edit
            </button>
          </div>
        </>
      )}

      {view.assessing && <p class="loading" role="status"><span class="spinner" aria-hidden="true" /> Checking the prompt…</p>}
      {view.assessError !== undefined && <ErrorNote error={view.assessError} />}

      {view.text && view.phase === "done" && (
        <details open>
          <summary>Diff against the query</summary>
          <WordDiff query={queryText} prompt={view.text} dropped={dropped} />
        </details>
      )}
      {report && (
        <details open={report.status !== "passed"}>
          <summary>
            Guard report <span class="muted small-print">({report.changes.length} change{report.changes.length === 1 ? "" : "s"}, {report.rounds} round{report.rounds === 1 ? "" : "s"})</span>
          </summary>
          <GuardReport report={report} query={view.result?.query ?? run.query} />
        </details>
      )}
      {view.assessment && (
        <details>
          <summary>
            Intent <span class="muted small-print">({Math.round(view.assessment.intent.coverage * 100)}% kept)</span>
          </summary>
          <IntentItems items={view.assessment.intent.items} />
        </details>
      )}
      {judge && (
        <details open>
          <summary>Judge</summary>
          <JudgeVerdict judge={judge} />
        </details>
      )}
    </article>
  );
}
