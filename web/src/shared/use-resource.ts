import { useCallback, useEffect, useRef, useState } from "preact/hooks";
import { onApiKeyChange } from "./api";

export interface Resource<T> {
  data?: T;
  error?: unknown;
  loading: boolean;
  reload: () => void;
}

/**
 * Loads `fetcher` when `key` changes (and again when the API key changes); with `pollMs`, refreshes on that period
 * while `poll` holds (a flag, or a test of the last data), keeping the last data on screen. A stale answer never overwrites a newer one.
 */
export function useResource<T>(key: string, fetcher: (signal: AbortSignal) => Promise<T>, options: { pollMs?: number; poll?: boolean | ((data: T) => boolean) } = {}): Resource<T> {
  const [state, setState] = useState<{ key: string; data?: T; error?: unknown; loading: boolean }>({ key, loading: true });
  const [nonce, setNonce] = useState(0);
  const fetcherRef = useRef(fetcher);
  fetcherRef.current = fetcher;
  const reload = useCallback(() => setNonce((n) => n + 1), []);

  useEffect(() => onApiKeyChange(reload), [reload]);

  useEffect(() => {
    const controller = new AbortController();
    setState((s) => ({ key, loading: true, ...(s.key === key ? { data: s.data } : {}) }));
    fetcherRef
      .current(controller.signal)
      .then((data) => !controller.signal.aborted && setState({ key, data, loading: false }))
      .catch((error: unknown) => !controller.signal.aborted && setState((s) => ({ key, error, loading: false, ...(s.key === key ? { data: s.data } : {}) })));
    return () => controller.abort();
  }, [key, nonce]);

  const wanted = typeof options.poll === "function" ? state.data !== undefined && options.poll(state.data) : Boolean(options.poll);
  const polling = Boolean(options.pollMs) && wanted;
  useEffect(() => {
    if (!polling || state.loading) return;
    const timer = setTimeout(reload, options.pollMs);
    return () => clearTimeout(timer);
  }, [polling, state.loading, state.data, options.pollMs, reload]);

  const current = state.key === key ? state : { loading: true };
  return { ...current, reload };
}
