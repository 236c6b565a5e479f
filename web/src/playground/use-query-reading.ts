import { useEffect, useState } from "preact/hooks";
import { parseQuery } from "./playground-api";
import type { QueryReading } from "./types";

const DEBOUNCE_MS = 250;

/** The server's reading of the query (flags, intent, unsafe spans), refreshed a moment after typing stops. */
export function useQueryReading(query: string): { reading?: QueryReading; error?: unknown; pending: boolean } {
  const [state, setState] = useState<{ reading?: QueryReading; error?: unknown; pending: boolean }>({ pending: false });
  useEffect(() => {
    if (!query.trim()) {
      setState({ pending: false });
      return;
    }
    const controller = new AbortController();
    setState((s) => ({ ...s, pending: true }));
    const timer = setTimeout(() => {
      parseQuery(query, controller.signal)
        .then((reading) => setState({ reading, pending: false }))
        .catch((error: unknown) => {
          if (!(error instanceof DOMException && error.name === "AbortError")) setState({ error, pending: false });
        });
    }, DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query]);
  return state;
}
