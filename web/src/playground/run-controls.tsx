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

/** Preset, seed, candidates (1–8) and guard policy; every control labelled. */
export function RunControls({ info, settings, onChange }: { info: ServerInfo; settings: RunSettings; onChange: (s: RunSettings) => void }) {
  const set = (patch: Partial<RunSettings>) => onChange({ ...settings, ...patch });
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
        <select id="guard" aria-describedby="guard-hint" value={settings.guard} onChange={(e) => set({ guard: e.currentTarget.value as RunSettings["guard"] })}>
          {GUARD_CHOICES.map((g) => (
            <option key={g.value} value={g.value}>
              {g.label}
            </option>
          ))}
        </select>
      </div>
      <p id="guard-hint" class="muted small-print guard-hint">{GUARD_HINTS[settings.guard]}</p>
    </fieldset>
  );
}

export const randomSeed = () => Math.floor(Math.random() * 1_000_000);
