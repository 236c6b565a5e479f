/** Previous / next over a list of `total` rows shown `size` at a time. */
export function Pager({ offset, size, total, onChange, what }: { offset: number; size: number; total: number; onChange: (offset: number) => void; what: string }) {
  if (total <= size && offset === 0) return <p class="muted small-text">{total} {what}</p>;
  const last = Math.min(total, offset + size);
  return (
    <nav class="pager" aria-label={`${what} pages`}>
      <button type="button" class="secondary small" disabled={offset === 0} onClick={() => onChange(Math.max(0, offset - size))}>
        ← Previous
      </button>
      <span class="muted small-text" aria-live="polite">
        {total ? offset + 1 : 0}–{last} of {total} {what}
      </span>
      <button type="button" class="secondary small" disabled={last >= total} onClick={() => onChange(offset + size)}>
        Next →
      </button>
    </nav>
  );
}
