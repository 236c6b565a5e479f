const QUOTE = 0x22;

/**
 * Splits one CSV record (RFC 4180, relaxed): a field that starts with `"` is quoted, `""` inside it is a quote, a
 * quote not followed by the delimiter or the end is kept as text; quotes inside unquoted fields are text.
 * `open` says the record ended inside a quoted field (it may continue on the next line).
 */
export function splitCsvRecord(text: string, delimiter = ","): { fields: string[]; open: boolean } {
  const fields: string[] = [];
  const n = text.length;
  const delimiterCode = delimiter.charCodeAt(0);
  let i = 0;
  for (;;) {
    if (text.charCodeAt(i) !== QUOTE) {
      const end = text.indexOf(delimiter, i);
      if (end < 0) {
        fields.push(text.slice(i));
        return { fields, open: false };
      }
      fields.push(text.slice(i, end));
      i = end + 1;
      continue;
    }
    let value = "";
    let start = i + 1;
    let from = start;
    for (;;) {
      const q = text.indexOf('"', from);
      if (q < 0) {
        fields.push(value + text.slice(start));
        return { fields, open: true };
      }
      const next = text.charCodeAt(q + 1);
      if (next === QUOTE) {
        value += text.slice(start, q + 1);
        start = from = q + 2;
      } else if (q + 1 === n || next === delimiterCode) {
        fields.push(value + text.slice(start, q));
        if (q + 1 === n) return { fields, open: false };
        i = q + 2;
        break;
      } else from = q + 1; // a stray quote: keep it as text
    }
  }
}

export interface CsvLine {
  line: number;
  text: string;
  recoded: boolean;
  truncated?: boolean;
}

export type CsvRecordEvent =
  | { kind: "record"; line: number; fields: string[]; recoded: boolean }
  | { kind: "malformed"; line: number; error: string; raw: string };

/**
 * Assembles physical lines into CSV records and recovers from broken quoting without losing later rows: a record
 * whose quoted field stays open for more than `maxLines` lines (or to the end of the file), or that swallows lines
 * which are complete rows on their own, is declared malformed at its first line, and parsing resumes on the next.
 */
export class CsvRecordAssembler {
  private pending: CsvLine[] = [];
  /** Width of the first record (the header row), which later rows are checked against. */
  private width: number | undefined;

  constructor(
    private readonly maxLines = 50,
    private readonly delimiter = ",",
  ) {}

  push(line: CsvLine, out: CsvRecordEvent[]): void {
    if (line.truncated) {
      this.flush(out);
      out.push({ kind: "malformed", line: line.line, error: "line too long (over 8 MiB)", raw: line.text });
      return;
    }
    this.pending.push(line);
    this.settle(out, false);
  }

  /** Ends the input: an open record left over is malformed at its first line; the lines after it are re-read. */
  end(out: CsvRecordEvent[]): void {
    this.settle(out, true);
  }

  private flush(out: CsvRecordEvent[]): void {
    this.settle(out, true);
  }

  private settle(out: CsvRecordEvent[], atEnd: boolean): void {
    while (this.pending.length) {
      const first = this.pending[0]!;
      if (!first.text.trim()) {
        this.pending.shift(); // blank lines between records are not rows
        continue;
      }
      // The shortest run of lines from the first that closes a record.
      let take = 0;
      let fields: string[] = [];
      for (let n = 1; n <= Math.min(this.pending.length, this.maxLines); n++) {
        const record = splitCsvRecord(n === 1 ? first.text : this.pending.slice(0, n).map((l) => l.text).join("\n"), this.delimiter);
        if (!record.open) {
          take = n;
          fields = record.fields;
          break;
        }
      }
      if (take === 0 && !atEnd && this.pending.length < this.maxLines) return; // wait for the closing quote
      if (take > 0 && !this.swallowedRows(take)) {
        this.width ??= fields.length;
        out.push({ kind: "record", line: first.line, fields, recoded: this.pending.slice(0, take).some((l) => l.recoded) });
        this.pending.splice(0, take);
        continue;
      }
      const why =
        take === 0
          ? `unbalanced quote: the quoted field is never closed${atEnd ? " before the end of the file" : ` within ${this.maxLines} lines`}`
          : "unbalanced quote: the quoted field runs over the following rows";
      out.push({ kind: "malformed", line: first.line, error: why, raw: first.text.slice(0, 200) });
      this.pending.shift();
    }
  }

  /**
   * A multi-line record ate its neighbours when a line inside it is a complete row of the right width on its own,
   * or when its last line is, although the open field was not the first column (a legitimate last line then holds
   * fewer fields: the end of the open field plus the columns after it). Needs at least two columns to tell.
   */
  private swallowedRows(lines: number): boolean {
    const width = this.width;
    if (lines < 2 || width === undefined || width < 2) return false;
    const isRow = (text: string) => {
      const { fields, open } = splitCsvRecord(text, this.delimiter);
      return !open && fields.length === width;
    };
    for (let k = 1; k < lines - 1; k++) if (isRow(this.pending[k]!.text)) return true;
    const openField = splitCsvRecord(this.pending[0]!.text, this.delimiter).fields.length - 1;
    return openField > 0 && isRow(this.pending[lines - 1]!.text);
  }
}
