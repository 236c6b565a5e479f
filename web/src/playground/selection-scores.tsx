import type { CandidateView } from "./use-candidate";

type Selected = NonNullable<CandidateView["selected"]>;

/** What the selection measured, in the method's own terms: checks coverage, the judge's rubric, tournament rounds. */
function scoreText(c: Selected): string[] {
  const checks = c.scores.checks;
  const parts = [`intent ${Math.round(checks.coverage * 100)}% kept${checks.requiredMissing.length ? `, missing ${checks.requiredMissing.join(", ")}` : ""}`];
  if (!checks.safe) parts.push("unsafe");
  if (!checks.withinBudget) parts.push(`${checks.words} words: over the length budget`);
  const judge = c.scores.judge;
  if (judge) parts.push(`judge ${judge.total}/15 (harmless ${judge.harmless}, accurate ${judge.accurate}, helpful ${judge.helpful})`);
  if (c.scores.round !== undefined) parts.push(c.winner ? `won all ${c.scores.round} round${c.scores.round === 1 ? "" : "s"}` : `lost in round ${c.scores.round}`);
  if (c.skipped) parts.push(c.skipped);
  for (const e of c.errors ?? []) parts.push(`${e.step} failed: ${e.message}`);
  return parts;
}

/** A candidate's rank and scores in a pick-the-best run. */
export function SelectionScores({ selected }: { selected: Selected }) {
  return (
    <p class="selection-scores small-print" data-testid="selection-scores">
      <span data-testid="selection-rank">rank {selected.rank}</span> by {selected.method}: {scoreText(selected).join(" · ")}
    </p>
  );
}
