import type { RunSettings, ServerInfo } from "./types";

const GUARD_CHOICES: { value: RunSettings["guard"]; label: string }[] = [
  { value: "sanitize", label: "sanitize" },
  { value: "refuse", label: "refuse" },
  { value: "pass-through", label: "pass-through" },
  { value: "off", label: "off (live tokens)" },
];

const GUARD_HINTS: Record<RunSettings["guard"], string> = {
  sanitize: "Keeps the safe intent of an unsafe query and leaves the rest out; each prompt arrives whole once checked.",
  refuse: "No prompt for a query the safety screen flags; each prompt arrives whole once checked.",
  "pass-through": "Reports problems without changing the prompt; each prompt arrives whole once checked.",
  off: "No guard: prompts stream in token by token; the checks run once each is done.",
};

const SELECT_CHOICES: { value: RunSettings["select"]; label: string; judge: boolean }[] = [
  { value: "none", label: "none", judge: false },
  { value: "checks", label: "checks (intent, safety, length)", judge: false },
  { value: "judge", label: "judge (rubric 1–5)", judge: true },
  { value: "tournament", label: "tournament (judge, pairwise)", judge: true },
];

const SELECT_GUARD_HINT = "Off while picking the best: the server picks among unguarded candidates, and the checks still screen the winner.";

/** Preset, seed, candidates (1–8), guard policy and pick-the-best method; every control labelled. */
export function RunControls({ info, settings, onChange }: { info: ServerInfo; settings: RunSettings; onChange: (s: RunSettings) => void }) {
  const set = (patch: Partial<RunSettings>) => onChange({ ...settings, ...patch });
  const selecting = settings.select !== "none";
  return (
    <fieldset class="controls">
      <legend class="visually-hidden">Run settings</legend>
      <div class="field">
        <label for="preset">Preset</label>
        <select id="preset" value={settings.preset} onChange={(e) => set({ preset: e.currentTarget.value })}>
          {info.presets.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="seed">Seed</label>
        <span class="input-with-button">
          <input id="seed" type="number" inputMode="numeric" value={settings.seed} min={0} step={1} onInput={(e) => Number.isInteger(e.currentTarget.valueAsNumber) && set({ seed: e.currentTarget.valueAsNumber })} />
          <button type="button" class="small secondary" aria-label="New random seed" title="New random seed" onClick={() => set({ seed: randomSeed() })}>
            ⟳
          </button>
        </span>
      </div>
      <div class="field">
        <label for="candidates">Candidates</label>
        <input id="candidates" type="number" min={1} max={8} step={1} value={settings.candidates} onInput={(e) => {
          const n = e.currentTarget.valueAsNumber;
          if (Number.isInteger(n) && n >= 1 && n <= 8) set({ candidates: n });
        }} />
      </div>
      <div class="field">
        <label for="guard">Guard</label>
        <select id="guard" aria-describedby="guard-hint" value={selecting ? "off" : settings.guard} disabled={selecting} onChange={(e) => set({ guard: e.currentTarget.value as RunSettings["guard"] })}>
          {GUARD_CHOICES.map((g) => (
            <option key={g.value} value={g.value}>
              {g.label}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="select-best">Pick the best</label>
        <select id="select-best" aria-describedby={info.judge ? undefined : "select-hint"} value={settings.select} onChange={(e) => set({ select: e.currentTarget.value as RunSettings["select"] })}>
          {SELECT_CHOICES.map((c) => (
            <option key={c.value} value={c.value} disabled={c.judge && !info.judge}>
              {c.label}
              {c.judge && !info.judge ? " — needs a judge" : ""}
            </option>
          ))}
        </select>
      </div>
      <p id="guard-hint" class="muted small-print guard-hint" data-testid="guard-hint">
        {selecting ? SELECT_GUARD_HINT : GUARD_HINTS[settings.guard]}
      </p>
      {!info.judge && (
        <p id="select-hint" class="muted small-print guard-hint">
          Judge and tournament need a judge model: start <code>vpo serve</code> with <code>--judge-model</code>.
        </p>
      )}
    </fieldset>
  );
}

export const randomSeed = () => Math.floor(Math.random() * 1_000_000);
