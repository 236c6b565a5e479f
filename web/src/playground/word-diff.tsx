import { diffWords } from "diff";
import { useMemo } from "preact/hooks";
import type { IntentItemReport } from "./types";

/**
 * The prompt against the query, word by word (case aside; equal words show as the prompt writes them): text the optimizer added is highlighted, query words it did not
 * reuse are struck through, and the query's intent items that the prompt lost are listed as dropped.
 */
export function WordDiff({ query, prompt, dropped }: { query: string; prompt: string; dropped: IntentItemReport[] }) {
  const parts = useMemo(() => diffWords(query, prompt, { ignoreCase: true }), [query, prompt]);
  return (
    <div class="word-diff">
      <p class="diff-text" aria-label="word diff against the query">
        {parts.map((part, i) =>
          part.added ? (
            <ins key={i} class="added">
              {part.value}
            </ins>
          ) : part.removed ? (
            <del key={i} class="removed">
              {part.value}
            </del>
          ) : (
            <span key={i}>{part.value}</span>
          ),
        )}
      </p>
      {dropped.length > 0 && (
        <p class="dropped-list">
          <span class="muted">Dropped from the query: </span>
          {dropped.map((item) => (
            <span key={`${item.kind}:${item.text}`} class="chip chip-dropped" data-testid="dropped-item">
              <span class="badge badge-bad">{item.status === "contradicted" ? "shown despite -neg" : "dropped"}</span> {item.text}
              <span class="muted">({item.kind})</span>
            </span>
          ))}
        </p>
      )}
    </div>
  );
}
