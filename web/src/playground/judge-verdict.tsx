import type { JudgeResult } from "./types";

const TONE = { aligned: "ok", unsafe: "bad", imprecise: "warn", refusal: "bad" } as const;

/** The judge's verdict on the three principles, when the server has a judge. */
export function JudgeVerdict({ judge }: { judge: JudgeResult }) {
  if (judge.status === "failed" || !judge.verdict) return <p class="muted">The judge ({judge.model.id}) failed: {judge.error?.message ?? "no verdict"}</p>;
  const v = judge.verdict;
  const principle = (name: string, ok: boolean, notes: string[]) => (
    <li>
      <span class={ok ? "ok-mark" : "bad-mark"} aria-hidden="true">{ok ? "✓" : "✗"}</span> {name}
      <span class="visually-hidden">{ok ? " ok" : " not ok"}</span>
      {notes.length > 0 && <span class="muted">: {notes.join("; ")}</span>}
    </li>
  );
  return (
    <section class="judge" aria-label="Judge verdict">
      <p>
        <span class={`badge badge-${TONE[v.category]}`} data-testid="judge-category">{v.category}</span> <span class="muted">by {judge.model.id}</span>
      </p>
      <ul class="principles">
        {principle("harmless", v.harmless.ok, v.harmless.issues)}
        {principle("accurate", v.accurate.ok, [...v.accurate.missing.map((m) => `missing ${m}`), ...v.accurate.added.map((a) => `added ${a}`)])}
        {principle("helpful", v.helpful.ok, v.helpful.issues)}
      </ul>
      {v.critique && <p class="critique">{v.critique}</p>}
    </section>
  );
}
