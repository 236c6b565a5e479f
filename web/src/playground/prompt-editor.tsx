import { useState } from "preact/hooks";

/** Edit a candidate's prompt and send it to be re-checked (Ctrl/Cmd+Enter in the box does the same). */
export function PromptEditor({ initial, label, busy, onCheck, onCancel }: { initial: string; label: string; busy: boolean; onCheck: (prompt: string) => void; onCancel: () => void }) {
  const [text, setText] = useState(initial);
  const submit = () => text.trim() && onCheck(text.trim());
  return (
    <form
      class="prompt-editor"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label class="block-label">
        Edit {label}
        <textarea
          rows={6}
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
              e.preventDefault();
              e.stopPropagation();
              submit();
            }
          }}
        />
      </label>
      <div class="row">
        <button type="submit" class="small" disabled={busy || !text.trim()}>
          {busy ? "Checking…" : "Re-check"}
        </button>
        <button type="button" class="small secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
