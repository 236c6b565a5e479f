import { useEffect, useState } from "preact/hooks";
import type { OptimizeResult, Selection } from "./types";

/**
 * The why names candidates by the selection's index (from 0, counting only successful generations); the cards are
 * numbered from 1 over every candidate, so each "candidate N" is renumbered to the card it is.
 */
export function whyForCards(result: OptimizeResult & { selection: Selection }): string {
  const cards = (result.candidates ?? [{ status: "ok", prompt: result.prompt }]).flatMap((g, card) => (g.status === "ok" && g.prompt !== null ? [card + 1] : []));
  return result.selection.why.replace(/\b([Cc]andidate) (\d+)\b/g, (whole, word: string, index: string) => {
    const card = cards[Number(index)];
    return card === undefined ? whole : `${word} ${card}`;
  });
}

/** Pick the best: the server's one sentence on why the winner won, above the cards once the selection is back. */
export function SelectionWhy({ selection }: { selection: () => Promise<OptimizeResult> }) {
  const [picked, setPicked] = useState<{ method: string; count: number; why: string } | undefined>();
  useEffect(() => {
    let live = true;
    selection().then(
      (result) => {
        const chosen = result.selection;
        if (live && chosen) setPicked({ method: chosen.method, count: chosen.candidates.length, why: whyForCards({ ...result, selection: chosen }) });
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [selection]);
  if (!picked) return null;
  return (
    <p class="card selection-why" role="status" data-testid="selection-why">
      <strong>
        Best of {picked.count} by {picked.method}:
      </strong>{" "}
      {picked.why}
    </p>
  );
}
