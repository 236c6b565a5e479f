import type { ComponentChildren } from "preact";
import { useState } from "preact/hooks";

/** A filter bar: query text applied on submit (Enter), plus whatever selects the view adds. */
export function SearchForm({ label, value, onSearch, children }: { label: string; value: string; onSearch: (q: string) => void; children?: ComponentChildren }) {
  const [text, setText] = useState(value);
  return (
    <form
      class="row filter-bar"
      role="search"
      onSubmit={(event) => {
        event.preventDefault();
        onSearch(text.trim());
      }}
    >
      {children}
      <label>
        {label}
        <input type="search" value={text} onInput={(e) => setText(e.currentTarget.value)} placeholder="text in the query" />
      </label>
      <button type="submit">Filter</button>
    </form>
  );
}
