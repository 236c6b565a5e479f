/** A span of a text: its offsets and the text they held when found. */
export interface TextSpan {
  start: number;
  end: number;
  text: string;
  category?: string;
}

export interface Segment {
  text: string;
  /** Set for a highlighted piece: what it is (e.g. a safety category). */
  mark?: string;
}

/**
 * Where each span's text is in `text`: at its own offsets when they still point at it, else its first occurrence
 * (the guard's query spans index the query without its -neg list; the page shows the query as typed).
 */
export function locate(text: string, spans: TextSpan[]): { start: number; end: number; mark: string }[] {
  const out: { start: number; end: number; mark: string }[] = [];
  const lower = text.toLowerCase();
  for (const span of spans) {
    const mark = span.category ?? "flagged";
    if (text.slice(span.start, span.end) === span.text) out.push({ start: span.start, end: span.end, mark });
    else if (span.text) {
      const at = lower.indexOf(span.text.toLowerCase());
      if (at >= 0) out.push({ start: at, end: at + span.text.length, mark });
    }
  }
  return out;
}

/** Cuts `text` into plain and highlighted pieces (overlapping ranges merge; the first range's mark wins). */
export function segments(text: string, ranges: { start: number; end: number; mark: string }[]): Segment[] {
  const sorted = ranges.filter((r) => r.end > r.start && r.start >= 0 && r.start < text.length).sort((a, b) => a.start - b.start);
  const out: Segment[] = [];
  let at = 0;
  for (const range of sorted) {
    const start = Math.max(range.start, at);
    const end = Math.min(range.end, text.length);
    if (end <= start) continue;
    if (start > at) out.push({ text: text.slice(at, start) });
    out.push({ text: text.slice(start, end), mark: range.mark });
    at = end;
  }
  if (at < text.length) out.push({ text: text.slice(at) });
  return out;
}
