/** Recent queries in this browser (localStorage), newest first, without duplicates. */
const KEY = "vpo.playground.history";
const MAX = 20;

export interface HistoryEntry {
  query: string;
  at: string;
}

export function loadHistory(): HistoryEntry[] {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(KEY) ?? "[]");
    return Array.isArray(parsed) ? parsed.filter((e): e is HistoryEntry => typeof e?.query === "string" && typeof e?.at === "string").slice(0, MAX) : [];
  } catch {
    return [];
  }
}

function save(entries: HistoryEntry[]): void {
  try {
    if (entries.length) localStorage.setItem(KEY, JSON.stringify(entries));
    else localStorage.removeItem(KEY);
  } catch {
    // storage full or disabled: the history lasts until the page closes
  }
}

export function remember(entries: HistoryEntry[], query: string): HistoryEntry[] {
  const next = [{ query, at: new Date().toISOString() }, ...entries.filter((e) => e.query !== query)].slice(0, MAX);
  save(next);
  return next;
}

export function clearHistory(): HistoryEntry[] {
  save([]);
  return [];
}
