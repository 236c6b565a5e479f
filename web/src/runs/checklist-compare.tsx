import { useState } from "preact/hooks";
import type { Checklist } from "./types";

/**
 * The 64 checklist answers of a video pair side by side; questions the two videos answered differently are
 * highlighted (only they are listed until the reviewer asks for all), folded under a summary line, with each question's weight in the VisionReward score.
 */
export function ChecklistCompare({ checklist, query, chosen, rejected }: { checklist: Checklist; query: string; chosen: string[]; rejected: string[] }) {
  const [all, setAll] = useState(false);
  const rows = checklist.questions.map((q, i) => ({ i, text: q.split(checklist.placeholder).join(query), weight: checklist.weights[i] ?? 0, chosen: chosen[i], rejected: rejected[i] }));
  const differing = rows.filter((r) => r.chosen !== r.rejected);
  const shown = all ? rows : differing;
  const yes = (side: (string | undefined)[]) => side.filter((a) => a === "yes").length;
  return (
    <details class="checklist">
      <summary>
        <strong>
          Checklist answers: {differing.length} of {rows.length} differ
        </strong>{" "}
        <span class="muted small-text">
          (chosen {yes(chosen)} yes, rejected {yes(rejected)} yes)
        </span>
      </summary>
      <div class="row checklist-head">
        <p class="muted small-text">Highlighted: the questions the two videos answered differently.</p>
        <button type="button" class="secondary small" aria-pressed={all} onClick={() => setAll(!all)}>
          {all ? "Only the differing questions" : `Show all ${rows.length} questions`}
        </button>
      </div>
      <div class="table-wrap">
        <table class="checklist-table">
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">question</th>
              <th scope="col">weight</th>
              <th scope="col">chosen</th>
              <th scope="col">rejected</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr key={r.i} class={r.chosen !== r.rejected ? "differs" : undefined} data-differs={r.chosen !== r.rejected ? "true" : undefined}>
                <td>{r.i + 1}</td>
                <td class="text-cell">{r.text}</td>
                <td class="mono">{r.weight.toFixed(3)}</td>
                <td>
                  <Answer value={r.chosen} />
                </td>
                <td>
                  <Answer value={r.rejected} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

function Answer({ value }: { value: string | undefined }) {
  if (value === "yes") return <span class="answer answer-yes">yes</span>;
  if (value === "no") return <span class="answer answer-no">no</span>;
  return <span class="muted">–</span>;
}
