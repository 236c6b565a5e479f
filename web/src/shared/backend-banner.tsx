import { useEffect, useState } from "preact/hooks";
import { onReachability } from "./api";

type Health = { state: "ok" } | { state: "checking" } | { state: "server-down" } | { state: "model-down"; reason: string };

const POLL_MS = 5000;

/**
 * A visible banner whenever the vpo server or its model backend is down: polled from /healthz, and raised at once
 * when any request of the page fails to reach the server. It clears itself when health returns.
 */
export function BackendBanner() {
  const [health, setHealth] = useState<Health>({ state: "checking" });

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const check = async () => {
      try {
        const response = await fetch("/healthz", { cache: "no-store" });
        const body = (await response.json().catch(() => ({}))) as { reason?: string };
        if (!stopped) setHealth(response.ok ? { state: "ok" } : { state: "model-down", reason: body.reason ?? `HTTP ${response.status}` });
      } catch {
        if (!stopped) setHealth({ state: "server-down" });
      }
      if (!stopped) timer = setTimeout(check, POLL_MS);
    };
    void check();
    const off = onReachability((reachable) => {
      if (!reachable) setHealth({ state: "server-down" });
    });
    return () => {
      stopped = true;
      clearTimeout(timer);
      off();
    };
  }, []);

  if (health.state === "ok" || health.state === "checking") return null;
  return (
    <div class="banner banner-error" role="alert" data-testid="backend-banner">
      {health.state === "server-down" ? (
        <span>
          <strong>The vpo server is not reachable.</strong> Retrying every {POLL_MS / 1000} s; your work on this page is kept.
        </span>
      ) : (
        <span>
          <strong>The model backend is down:</strong> {health.reason}. Retrying every {POLL_MS / 1000} s.
        </span>
      )}
    </div>
  );
}
