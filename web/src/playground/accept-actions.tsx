import { useState } from "preact/hooks";
import { acceptedPrompt } from "./accepted-prompt";
import { copyText } from "./clipboard";
import type { QueryFlags } from "./types";

/** Accept a candidate: copy it as text, or as JSON for the video tool; says whether the copy worked. */
export function AcceptActions({ prompt, flags, seed, label }: { prompt: string; flags: QueryFlags; seed: number | undefined; label: string }) {
  const [note, setNote] = useState("");
  const [manual, setManual] = useState<string | undefined>();
  const copy = async (what: "text" | "JSON") => {
    const text = what === "text" ? prompt : JSON.stringify(acceptedPrompt(prompt, flags, seed), null, 2);
    const ok = await copyText(text);
    setManual(ok ? undefined : text);
    setNote(ok ? `Copied as ${what}.` : "The browser blocked copying: select the text below and copy it.");
  };
  return (
    <div class="accept">
      <div class="row">
        <span class="muted small-print">Accept:</span>
        <button type="button" class="small" onClick={() => void copy("text")} aria-label={`Copy ${label} as text`}>
          Copy text
        </button>
        <button type="button" class="small secondary" onClick={() => void copy("JSON")} aria-label={`Copy ${label} as JSON`}>
          Copy JSON
        </button>
        <span class="muted small-print" role="status" aria-live="polite">
          {note}
        </span>
      </div>
      {manual !== undefined && <textarea class="mono" readOnly rows={6} value={manual} aria-label="Text to copy" onFocus={(e) => e.currentTarget.select()} />}
    </div>
  );
}
