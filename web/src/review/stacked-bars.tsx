import type { QuestionReport } from "./types";

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/**
 * The paper's Fig. 3 layout: one horizontal bar per question, A's wins, ties and B's wins stacked to 100%, each
 * segment labelled with its share; the intervals are in the table below.
 */
export function StackedBars({ questions, labels }: { questions: QuestionReport[]; labels: { a: string; b: string } }) {
  return (
    <div class="stacked" role="group" aria-label="win, tie and loss shares per question">
      <div class="legend" aria-hidden="true">
        <span class="key key-win" /> {labels.a} wins <span class="key key-tie" /> tie <span class="key key-loss" /> {labels.b} wins
      </div>
      {questions.map((q) => (
        <div key={q.question} class="stacked-row">
          <span class="stacked-title">{q.title}</span>
          {q.n === 0 ? (
            <span class="muted">no votes yet</span>
          ) : (
            <div class="stacked-bar" role="img" aria-label={`${q.title}: ${labels.a} wins ${pct(q.win.share)}, tie ${pct(q.tie.share)}, ${labels.b} wins ${pct(q.loss.share)} of ${q.n} votes`}>
              {(["win", "tie", "loss"] as const).map((part) =>
                q[part].share > 0 ? (
                  <span key={part} class={`stack stack-${part}`} style={{ width: `${q[part].share * 100}%` }}>
                    {q[part].share >= 0.08 ? pct(q[part].share) : ""}
                  </span>
                ) : null,
              )}
            </div>
          )}
        </div>
      ))}
    </div>
  );
}
