import { ApiError } from "../shared/api";
import { FlagChips } from "./flag-chips";
import type { QueryReading } from "./types";

/** The query, with its flags read as typed chips while typing (Ctrl/Cmd+Enter runs: the form around it handles it). */
export function QueryBox({ query, onQuery, reading, error, pending }: { query: string; onQuery: (q: string) => void; reading?: QueryReading; error?: unknown; pending: boolean }) {
  return (
    <div class="query-box">
      <label class="block-label" for="query">
        Query
      </label>
      <textarea
        id="query"
        rows={3}
        value={query}
        placeholder='e.g. 3 friends laughing in a bar "CHEERS" neon sign -ar 16:9 -neg distorted faces -camera slow push in'
        aria-describedby="query-flags"
        onInput={(e) => onQuery(e.currentTarget.value)}
      />
      <div id="query-flags" class="query-flags" aria-live="polite">
        {error instanceof ApiError && error.code === "input" ? (
          <p class="field-error">{error.message}</p>
        ) : reading && reading.query.trim() ? (
          <FlagChips reading={reading} />
        ) : pending ? (
          <p class="muted small-print">Reading the flags…</p>
        ) : null}
      </div>
    </div>
  );
}
