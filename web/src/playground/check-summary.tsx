import type { Assessment } from "./types";

/** The checks' verdict on the prompt shown (the optimizer's, or the user's edit once re-checked), in badges. */
export function CheckSummary({ assessment, edited }: { assessment: Assessment; edited: boolean }) {
  return (
    <span class="checks" data-testid="checks">
      <span class="muted">{edited ? "Re-checked:" : "Checks:"} </span>
      {assessment.problems.length ? (
        assessment.problems.map((problem) => (
          <span key={problem} class="badge badge-bad">
            {problem}
          </span>
        ))
      ) : (
        <span class="badge badge-ok">no problems</span>
      )}
    </span>
  );
}
