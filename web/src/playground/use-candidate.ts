import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { ApiError } from "../shared/api";
import { assessPrompt, streamCandidate } from "./playground-api";
import type { Assessment, OptimizeResult, QueryReading, RunSettings, SelectedCandidate, SelectMethod } from "./types";

/** One press of Optimize: the query and the settings every candidate of it uses, and its Stop. */
export interface Run {
  id: number;
  query: string;
  settings: RunSettings;
  /** The server's reading of the query, when it had arrived for this exact text. */
  reading?: QueryReading;
  /** Aborted by Stop: every candidate still waiting gives up its request. */
  stop: AbortSignal;
  /** Pick the best: the one request every candidate of the run shares (aborted by Stop). */
  selection?: () => Promise<OptimizeResult>;
}

export interface CandidateView {
  /** waiting: asked, nothing back yet; streaming: text arriving; done: the result (maybe a refusal); failed: no
   * result; stopped: the user pressed Stop first. */
  phase: "waiting" | "streaming" | "done" | "failed" | "stopped";
  /** The prompt so far (streamed), the final one, or the user's edit once re-checked. */
  text: string;
  result?: OptimizeResult;
  error?: unknown;
  assessment?: Assessment;
  assessing: boolean;
  assessError?: unknown;
  edited: boolean;
  /** Pick the best: how the selection scored and ranked this candidate. */
  selected?: SelectedCandidate & { method: SelectMethod; winner: boolean };
}

const isAbort = (error: unknown) => error instanceof DOMException && error.name === "AbortError";

/**
 * A candidate's life: its own streamed request, then the checks of its prompt (screen, intent; the judge unless the
 * guard already asked it), and re-checks of the user's edits. A new run or leaving the page cancels what is open.
 */
export function useCandidate(run: Run, index: number) {
  const [view, setView] = useState<CandidateView>({ phase: "waiting", text: "", assessing: false, edited: false });
  const [attempt, setAttempt] = useState(0);
  const checks = useRef<AbortController | undefined>(undefined);
  // Only the latest check may update the card (an earlier, slower one must not overwrite a re-check).
  const latest = useRef(0);

  const check = useCallback(
    async (prompt: string, judge: boolean, edited: boolean, signal: AbortSignal) => {
      const mine = ++latest.current;
      setView((v) => ({ ...v, assessing: true, assessError: undefined }));
      try {
        const assessment = await assessPrompt(run.query, prompt, judge, signal);
        if (mine === latest.current) setView((v) => ({ ...v, assessment, assessing: false, text: prompt, edited }));
      } catch (error) {
        if (!isAbort(error) && mine === latest.current) setView((v) => ({ ...v, assessing: false, assessError: error }));
      }
    },
    [run.query],
  );

  useEffect(() => {
    const controller = new AbortController();
    checks.current = controller;
    if (run.stop.aborted) return;
    setView({ phase: "waiting", text: "", assessing: false, edited: false });
    const onStop = () => {
      controller.abort();
      setView((v) => (v.phase === "waiting" || v.phase === "streaming" ? { ...v, phase: "stopped" } : v));
    };
    run.stop.addEventListener("abort", onStop, { once: true });
    const onText = (text: string, reset: boolean) => setView((v) => ({ ...v, phase: "streaming", text: reset ? text : v.text + text }));
    const answer: Promise<ReturnType<typeof candidateOf>> = run.selection ? run.selection().then((result) => candidateOf(result, index)) : streamCandidate(run.query, run.settings, index, { onText }, controller.signal).then((result) => ({ result }));
    answer
      .then(({ result, selected }) => {
        if (controller.signal.aborted) return;
        setView((v) => ({ ...v, phase: "done", result, text: result.prompt ?? "", ...(selected ? { selected } : {}) }));
        if (result.prompt) void check(result.prompt, run.settings.guard === "off", false, controller.signal);
      })
      .catch((error: unknown) => {
        if (!isAbort(error)) setView((v) => ({ ...v, phase: "failed", error }));
      });
    return () => {
      run.stop.removeEventListener("abort", onStop);
      controller.abort();
    };
  }, [run, index, attempt, check]);

  /** Re-checks an edited prompt: screen, intent and the judge when there is one. */
  const recheck = (prompt: string) => {
    const signal = checks.current?.signal ?? new AbortController().signal;
    void check(prompt, true, true, signal);
  };
  return { view, recheck, retry: () => setAttempt((a) => a + 1) };
}

/**
 * Candidate `index` of a selection's answer, as a result of its own: its prompt, and its scores and rank (the
 * selection's indexes count only the candidates whose generation succeeded). A failed one throws its error.
 */
export function candidateOf(result: OptimizeResult, index: number): { result: OptimizeResult; selected?: CandidateView["selected"] } {
  const generations = result.candidates ?? [{ prompt: result.prompt, status: result.status, ...(result.error ? { error: result.error } : {}) }];
  const own = generations[index];
  if (!own || own.status !== "ok" || own.prompt === null) {
    const error = own?.error ?? result.error;
    throw new ApiError(502, error?.code ?? "backend", error?.message ?? "this candidate has no prompt");
  }
  const at = generations.slice(0, index).filter((g) => g.status === "ok" && g.prompt !== null).length;
  const selection = result.selection;
  const scored = selection?.candidates.find((c) => c.index === at);
  const single: OptimizeResult = { ...result, prompt: own.prompt, status: "ok" };
  if (!selection || !scored) return { result: single };
  return { result: single, selected: { ...scored, method: selection.method, winner: selection.winner === at } };
}
