import { useCallback, useState } from "preact/hooks";
import { ErrorNote, Loading } from "../shared/async-state";
import { CandidateCard } from "./candidate-card";
import { HistoryList } from "./history-list";
import { ModelInfo } from "./model-info";
import { QueryBox } from "./query-box";
import { clearHistory, loadHistory, remember } from "./query-history";
import { selectCandidates } from "./playground-api";
import { randomSeed, RunControls } from "./run-controls";
import { SelectionWhy } from "./selection-why";
import type { OptimizeResult, RunSettings, SelectMethod, ServerInfo } from "./types";
import { useQueryReading } from "./use-query-reading";
import { useServerInfo } from "./use-server-info";
import type { Run } from "./use-candidate";
import "./playground.css";

/**
 * The playground (issue 12, part 1): see, edit and approve the rewrite before an expensive render. A query with its
 * flags read live, N candidates side by side with diffs and the guard's report, edit and re-check, copy for the
 * video tool, and recent queries.
 */
export function PlaygroundPage() {
  const { info, error, reload } = useServerInfo();
  return (
    <>
      <div class="page-head">
        <h1>Playground</h1>
        {info && <ModelInfo info={info} />}
      </div>
      {error !== undefined ? <ErrorNote error={error} retry={reload} /> : !info ? <Loading what="the server's models" /> : <Playground info={info} />}
    </>
  );
}

function Playground({ info }: { info: ServerInfo }) {
  const [query, setQuery] = useState("");
  const [settings, setSettings] = useState<RunSettings>({ preset: info.presets[0] ?? "official", seed: randomSeed(), candidates: 3, guard: info.guard.policy ?? "sanitize", select: "none" });
  const [run, setRun] = useState<Run | undefined>();
  const [history, setHistory] = useState(loadHistory);
  const [note, setNote] = useState("");
  const [stopper, setStopper] = useState<AbortController | undefined>();
  const [busy, setBusy] = useState<ReadonlySet<number>>(new Set());
  const parsed = useQueryReading(query);
  const onBusy = useCallback((index: number, isBusy: boolean) => {
    setBusy((current) => {
      if (current.has(index) === isBusy) return current;
      const next = new Set(current);
      if (isBusy) next.add(index);
      else next.delete(index);
      return next;
    });
  }, []);

  const start = () => {
    const text = query.trim();
    if (!text) {
      setNote("Type a query first.");
      document.getElementById("query")?.focus();
      return;
    }
    setNote("");
    setHistory((h) => remember(h, text));
    const reading = parsed.reading?.query === text ? parsed.reading : undefined;
    stopper?.abort();
    const stop = new AbortController();
    setStopper(stop);
    setBusy(new Set());
    // Picking the best is one request for every candidate, unguarded (the server refuses select with the guard on).
    const { select } = settings;
    const runSettings: RunSettings = select === "none" ? settings : { ...settings, guard: "off" };
    const selection = select === "none" ? undefined : askOnce(text, { ...runSettings, select }, stop.signal);
    setRun((previous) => ({ id: (previous?.id ?? 0) + 1, query: text, settings: runSettings, stop: stop.signal, ...(reading ? { reading } : {}), ...(selection ? { selection } : {}) }));
  };

  return (
    <div class="playground">
      <form
        class="card composer"
        aria-label="Query and settings"
        onSubmit={(e) => {
          e.preventDefault();
          start();
        }}
        onKeyDown={(e) => {
          if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            start();
          }
        }}
      >
        <QueryBox query={query} onQuery={setQuery} reading={parsed.reading} error={parsed.error} pending={parsed.pending} />
        <RunControls info={info} settings={settings} onChange={setSettings} />
        <div class="row run-row">
          <button type="submit" class="run-button">
            Optimize
          </button>
          {busy.size > 0 && (
            <button type="button" class="secondary" onClick={() => stopper?.abort()}>
              Stop
            </button>
          )}
          <span class="muted small-print">
            <kbd>Ctrl</kbd>/<kbd>⌘</kbd> + <kbd>Enter</kbd>
          </span>
          {note && (
            <span class="field-error" role="alert">
              {note}
            </span>
          )}
        </div>
      </form>
      <HistoryList
        entries={history}
        onPick={(q) => {
          setQuery(q);
          document.getElementById("query")?.focus();
        }}
        onClear={() => setHistory(clearHistory())}
      />
      {run ? (
        <section class={`candidates cols-${Math.min(run.settings.candidates, 4)}`} aria-label="Candidate prompts">
          {run.selection && <SelectionWhy key={run.id} selection={run.selection} />}
          {Array.from({ length: run.settings.candidates }, (_, i) => (
            <CandidateCard key={`${run.id}-${i}`} run={run} index={i} reading={run.reading ?? (parsed.reading?.query === run.query ? parsed.reading : undefined)} onBusy={onBusy} />
          ))}
        </section>
      ) : (
        <p class="empty intro">Write a query and press Optimize: each candidate arrives with a word diff against your query, the guard's report and its length. Edit one, re-check it, then copy it for your video tool.</p>
      )}
    </div>
  );
}

/**
 * The one request of a pick-the-best run, sent when the run's first card asks for it rather than on Optimize: a run
 * replaced before it renders (Optimize pressed again at once) must not cost a request. A failed
 * request is forgotten, so a card's Try again asks anew.
 */
function askOnce(query: string, settings: RunSettings & { select: SelectMethod }, signal: AbortSignal): () => Promise<OptimizeResult> {
  let asked: Promise<OptimizeResult> | undefined;
  return () =>
    (asked ??= selectCandidates(query, settings, signal).catch((error: unknown) => {
      asked = undefined;
      throw error;
    }));
}
