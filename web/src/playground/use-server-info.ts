import { useEffect, useState } from "preact/hooks";
import { onApiKeyChange } from "../shared/api";
import { fetchInfo } from "./playground-api";
import type { ServerInfo } from "./types";

/** GET /v1/info, fetched again when asked or when the API key changes. */
export function useServerInfo(): { info?: ServerInfo; error?: unknown; reload: () => void } {
  const [attempt, setAttempt] = useState(0);
  const [state, setState] = useState<{ info?: ServerInfo; error?: unknown }>({});
  useEffect(() => onApiKeyChange(() => setAttempt((a) => a + 1)), []);
  useEffect(() => {
    const controller = new AbortController();
    setState({});
    fetchInfo(controller.signal)
      .then((info) => setState({ info }))
      .catch((error: unknown) => {
        if (!(error instanceof DOMException && error.name === "AbortError")) setState({ error });
      });
    return () => controller.abort();
  }, [attempt]);
  return { ...state, reload: () => setAttempt((a) => a + 1) };
}
