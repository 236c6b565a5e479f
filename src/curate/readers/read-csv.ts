import { stat } from "node:fs/promises";
import { extname } from "node:path";
import { InputError } from "../../errors.js";
import { readByteLines } from "../../util/byte-lines.js";
import { chooseQueryColumn, detoxifyColumnsOf, idColumnOf, idOf, maxScore } from "./columns.js";
import { CsvRecordAssembler, type CsvRecordEvent } from "./csv-record.js";
import type { InputItem, InputSource } from "./types.js";

/**
 * CSV with a header row (VidProM: uuid,prompt,time,toxicity,obscene,identity_attack,insult,threat,sexual_explicit;
 * or any CSV with --column). A .tsv file is split at tabs. Rows of the wrong width and broken quoting are reported
 * as malformed with their line; a line that is not UTF-8 is read as Windows-1252 and flagged.
 */
export async function openCsv(path: string, options: { column?: string } = {}): Promise<InputSource> {
  const bytes = (await stat(path)).size;
  const delimiter = extname(path).toLowerCase() === ".tsv" ? "\t" : ",";
  const progress = { bytes: 0 };
  const lines = readByteLines(path, progress);
  let header: string[] | undefined;
  const assembler = new CsvRecordAssembler(50, delimiter);
  let events: CsvRecordEvent[] = [];
  // Read up to the header record; what comes after it in the same batches is kept for rows().
  let exhausted = false;
  while (!header) {
    const next = await lines.next();
    if (next.done) {
      assembler.end(events);
      exhausted = true;
    } else for (const line of next.value) assembler.push(line, events);
    const at = events.findIndex((e) => e.kind === "record");
    if (at >= 0) {
      header = (events[at] as Extract<CsvRecordEvent, { kind: "record" }>).fields.map((f) => f.trim());
      events = events.slice(at + 1);
    } else if (exhausted) throw new InputError("no header row (the file is empty)", path);
  }
  const columns = header;
  const column = chooseQueryColumn(columns, options.column, path);
  const queryAt = columns.indexOf(column);
  const detoxifyColumns = detoxifyColumnsOf(columns);
  const detoxifyAt = detoxifyColumns.map((c) => columns.indexOf(c));
  const idColumn = idColumnOf(columns);
  const idAt = idColumn === undefined ? -1 : columns.indexOf(idColumn);

  let index = 0;
  const toItems = (batch: CsvRecordEvent[]): InputItem[] =>
    batch.map((event) => {
      if (event.kind === "malformed") return { index: index++, line: event.line, error: event.error, raw: event.raw };
      if (event.fields.length !== columns.length) {
        return { index: index++, line: event.line, error: `expected ${columns.length} columns, found ${event.fields.length}`, raw: event.fields.join(delimiter).slice(0, 200) };
      }
      const toxicity = detoxifyAt.length ? maxScore(detoxifyAt.map((i) => event.fields[i])) : undefined;
      const id = idAt >= 0 ? idOf(event.fields[idAt]) : undefined;
      return {
        index: index++,
        line: event.line,
        query: event.fields[queryAt]!,
        ...(id !== undefined ? { id } : {}),
        ...(toxicity !== undefined ? { toxicity } : {}),
        ...(event.recoded ? { recoded: true } : {}),
      };
    });

  return {
    path,
    format: "csv",
    column,
    detoxifyColumns,
    bytes,
    bytesRead: () => progress.bytes,
    async *rows() {
      if (events.length) yield toItems(events);
      if (exhausted) return;
      for await (const batch of lines) {
        const out: CsvRecordEvent[] = [];
        for (const line of batch) assembler.push(line, out);
        if (out.length) yield toItems(out);
      }
      const out: CsvRecordEvent[] = [];
      assembler.end(out);
      if (out.length) yield toItems(out);
    },
  };
}
