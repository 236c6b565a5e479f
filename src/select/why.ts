import { checksReason } from "./check-scores.js";
import type { SelectedCandidate, SelectMethod, TournamentMatch } from "./types.js";

const judgeText = (c: SelectedCandidate) => {
  const j = c.scores.judge!;
  return `${j.total}/15 (harmless ${j.harmless}, accurate ${j.accurate}, helpful ${j.helpful})`;
};

/** Why `w` is ahead of `r` by the method's own measure, or undefined when that measure ties or is missing. */
function methodReason(method: SelectMethod, w: SelectedCandidate, r: SelectedCandidate): string | undefined {
  if (method === "judge" && w.scores.judge) {
    if (!r.scores.judge) return `the judge scored it ${judgeText(w)} and gave no readable score for candidate ${r.index}`;
    if (w.scores.judge.total !== r.scores.judge.total) return `the judge scored it ${judgeText(w)} against ${judgeText(r)} for candidate ${r.index}`;
  }
  if (method === "reward" && w.scores.reward) {
    const score = (c: SelectedCandidate) => c.scores.reward!.score.toFixed(3);
    if (!r.scores.reward) return `its video scored ${score(w)} and candidate ${r.index} has no reward (${r.skipped ?? r.errors?.map((e) => `${e.step} failed`).join(", ")})`;
    if (w.scores.reward.score !== r.scores.reward.score) return `its video scored ${score(w)} against ${score(r)} for candidate ${r.index}'s`;
  }
  return undefined;
}

function finalReason(final: TournamentMatch, w: SelectedCandidate, r: SelectedCandidate): string {
  // r is the finalist w beat, which need not be the runner-up of the ranking (an unsafe finalist ranks last).
  switch (final.decidedBy) {
    case "both-orders":
      return `the judge preferred it to candidate ${r.index} in both orders`;
    case "reward":
      return `it beat candidate ${r.index} on reward (${final.note})`;
    case "safety":
      return `it beat candidate ${r.index} on safety (${final.note})`;
    default:
      return `its final against candidate ${r.index} went to the deterministic tiebreak (${final.note}), where ${checksReason(w.scores.checks, r.scores.checks)}`;
  }
}

/** One sentence saying why the winner (first of `ranked`) won over the runner-up. */
export function explainWinner(method: SelectMethod, ranked: SelectedCandidate[], matches?: TournamentMatch[]): string {
  const [w, r] = ranked as [SelectedCandidate, SelectedCandidate | undefined];
  const lead = `Candidate ${w.index} won by ${method}`;
  if (!r) return `${lead}: it is the only candidate.`;
  if (w.safe && !r.safe) return `${lead}: it is the only safe candidate${ranked.length > 2 ? ` of ${ranked.length}` : ""}, and an unsafe one never wins over a safe one.`;
  const unsafeNote = !w.safe ? " (no candidate is safe)" : "";
  if (method === "tournament") {
    // The ranking's winner is the tournament's unless the judge called the latter unsafe after it beat a safe one.
    const final = matches?.filter((m) => m.decidedBy !== "bye" && m.winner === w.index).at(-1);
    const opponent = final && ranked.find((c) => c.index === (final.a === w.index ? final.b : final.a));
    if (final && opponent) return `${lead}${unsafeNote}: ${finalReason(final, w, opponent)}.`;
  }
  const reason = methodReason(method, w, r);
  if (reason) return `${lead}${unsafeNote}: ${reason}.`;
  const measure = method === "judge" ? "the judge's scores" : method === "reward" ? "the rewards" : "the knockout (its winner turned out unsafe)";
  const tie = method === "checks" ? "" : `${measure} did not separate it from candidate ${r.index}, so the checks decided: `;
  return `${lead}${unsafeNote}: ${tie}${checksReason(w.scores.checks, r.scores.checks)}${tie ? "" : ` (over candidate ${r.index})`}.`;
}
