import type { IntentItemReport } from "./types";

const WORD = { kept: "kept", missing: "dropped", contradicted: "contradicted", unsafe: "left out (unsafe)" } as const;

/** Each intent item of the query and how the prompt kept it (exact, another form, a synonym, a more specific term). */
export function IntentItems({ items }: { items: IntentItemReport[] }) {
  if (!items.length) return <p class="muted">The query has no intent items to keep.</p>;
  return (
    <ul class="chips intent-items" aria-label="Intent items">
      {items.map((item, i) => (
        <li key={i} class={`chip intent-${item.status}`} title={item.required ? "required" : "optional"}>
          <span class="visually-hidden">{WORD[item.status]}: </span>
          {item.text}
          {item.status === "kept" && item.keptBy && item.keptBy !== "exact" && <span class="muted"> {item.keptBy}{item.keptAs ? ` → ${item.keptAs}` : ""}</span>}
          {item.status !== "kept" && <span class="muted"> {WORD[item.status]}</span>}
        </li>
      ))}
    </ul>
  );
}
