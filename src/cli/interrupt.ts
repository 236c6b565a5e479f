/**
 * First Ctrl-C: stop starting new work and let what is in flight finish (its results are written).
 * Second Ctrl-C: abort what is in flight too. Either way the output files stay valid and a re-run resumes.
 */
import { setMaxListeners } from "node:events";

export function interruptSignals(onFirst?: () => void): { stop: AbortSignal; abort: AbortSignal; dispose: () => void } {
  const stop = new AbortController();
  const abort = new AbortController();
  // Every in-flight request listens on these; hundreds at once are expected, not a leak.
  setMaxListeners(0, stop.signal, abort.signal);
  const handler = () => {
    if (!stop.signal.aborted) {
      stop.abort();
      onFirst?.();
    } else abort.abort();
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return {
    stop: stop.signal,
    abort: abort.signal,
    dispose: () => {
      process.off("SIGINT", handler);
      process.off("SIGTERM", handler);
    },
  };
}
