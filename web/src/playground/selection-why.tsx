import { useEffect, useState } from "preact/hooks";
import type { OptimizeResult, Selection } from "./types";

/** Pick the best: the server's one sentence on why the winner won, above the cards once the selection is back. */
export function SelectionWhy({ selection }: { selection: Promise<OptimizeResult> }) {
  const [picked, setPicked] = useState<Selection | undefined>();
  useEffect(() => {
    let live = true;
    selection.then((result) => live && setPicked(result.selection), () => undefined);
    return () => {
      live = false;
    };
  }, [selection]);
  if (!picked) return null;
  return (
    <p class="card selection-why" role="status" data-testid="selection-why">
      <strong>Best of {picked.candidates.length} by {picked.method}:</strong> {picked.why}
    </p>
  );
}
