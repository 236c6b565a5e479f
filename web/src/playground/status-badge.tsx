import type { GuardStatus } from "./types";

const TONE: Record<GuardStatus, string> = { passed: "ok", sanitized: "warn", refused: "bad", fallback: "info" };
const MEANING: Record<GuardStatus, string> = {
  passed: "no safety or intent problem found",
  sanitized: "unsafe content was asked for or produced, and left out",
  refused: "no prompt: the query asks for unsafe content",
  fallback: "the guard could not fix every problem; read the report",
};

/** The guard's verdict on a candidate, in one coloured word with its meaning on hover and for screen readers. */
export function StatusBadge({ status }: { status: GuardStatus | "unguarded" }) {
  if (status === "unguarded") return <span class="badge badge-muted" title="the guard was off for this run">unguarded</span>;
  return (
    <span class={`badge badge-${TONE[status]}`} title={MEANING[status]} data-testid="guard-status">
      {status}
      <span class="visually-hidden">: {MEANING[status]}</span>
    </span>
  );
}
