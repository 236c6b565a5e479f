import type { HistoryEntry } from "./query-history";

/** Recent queries: pick one to put it back in the query box. */
export function HistoryList({ entries, onPick, onClear }: { entries: HistoryEntry[]; onPick: (query: string) => void; onClear: () => void }) {
  return (
    <section class="card history" aria-labelledby="history-title">
      <div class="row history-head">
        <h2 id="history-title">Recent queries</h2>
        <span class="spacer" />
        {entries.length > 0 && (
          <button type="button" class="small secondary" onClick={onClear}>
            Clear history
          </button>
        )}
      </div>
      {entries.length === 0 ? (
        <p class="empty">Queries you run appear here (kept in this browser only).</p>
      ) : (
        <ul class="history-list">
          {entries.map((entry) => (
            <li key={entry.at + entry.query}>
              <button type="button" class="link-button" onClick={() => onPick(entry.query)} title={`run at ${new Date(entry.at).toLocaleString()}`}>
                {entry.query}
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
