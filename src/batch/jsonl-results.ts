import { closeSync, createReadStream, existsSync, openSync, readSync, fstatSync, ftruncateSync, writeSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { createInterface } from "node:readline";
import { writeLinesAtomic } from "../util/files.js";

/** Anything written to a results file: one JSON object a line, keyed by the 0-based input index. */
export interface IndexedRecord {
  index: number;
  status: string;
}

export interface ResultsScan {
  /** Indexes with a record, by their last status. */
  statuses: Map<number, string>;
  /** Lines that were not a JSON object with a numeric index (skipped, reported). */
  corruptLines: number[];
  /** Bytes of an unfinished last line (cut off by a crash) that were removed. */
  repairedBytes: number;
  duplicateIndexes: number;
}

/** Cuts a final line that has no newline: a record the crashed run had not finished writing. */
function repairTornTail(path: string): number {
  const fd = openSync(path, "r+");
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return 0;
    const chunk = Buffer.alloc(Math.min(size, 1 << 16));
    let end = size;
    // Walk back to the last newline.
    while (end > 0) {
      const start = Math.max(0, end - chunk.length);
      const n = readSync(fd, chunk, 0, end - start, start);
      const at = chunk.subarray(0, n).lastIndexOf(0x0a);
      if (at >= 0) {
        const keep = start + at + 1;
        if (keep < size) ftruncateSync(fd, keep);
        return size - keep;
      }
      end = start;
    }
    ftruncateSync(fd, 0);
    return size;
  } finally {
    closeSync(fd);
  }
}

async function* lines(path: string): AsyncGenerator<string> {
  const rl = createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
  for await (const line of rl) yield line;
}

function parseRecord(line: string): IndexedRecord | undefined {
  try {
    const value = JSON.parse(line) as Partial<IndexedRecord>;
    return typeof value?.index === "number" && Number.isInteger(value.index) ? (value as IndexedRecord) : undefined;
  } catch {
    return undefined;
  }
}

export async function scanResults(path: string): Promise<ResultsScan> {
  const scan: ResultsScan = { statuses: new Map(), corruptLines: [], repairedBytes: 0, duplicateIndexes: 0 };
  if (!existsSync(path)) return scan;
  scan.repairedBytes = repairTornTail(path);
  let lineNo = 0;
  for await (const line of lines(path)) {
    lineNo++;
    if (!line.trim()) continue;
    const record = parseRecord(line);
    if (!record) {
      scan.corruptLines.push(lineNo);
      continue;
    }
    if (scan.statuses.has(record.index)) scan.duplicateIndexes++;
    scan.statuses.set(record.index, String(record.status));
  }
  return scan;
}

/**
 * An append-only JSONL results file that a re-run resumes: records already present are skipped, each new record is
 * one write() of one line, so a kill -9 loses at most the records in flight. With `retryFailed`, failed records are
 * redone and `close()` compacts the file to one line per index (the last).
 */
export class JsonlResults<T extends IndexedRecord> {
  private fd: number | undefined;
  private rewritten = false;

  private constructor(
    readonly path: string,
    readonly scan: ResultsScan,
    private readonly retryFailed: boolean,
  ) {}

  static async open<T extends IndexedRecord>(path: string, options: { retryFailed?: boolean } = {}): Promise<JsonlResults<T>> {
    mkdirSync(dirname(path), { recursive: true });
    const scan = await scanResults(path);
    const results = new JsonlResults<T>(path, scan, options.retryFailed ?? false);
    results.fd = openSync(path, "a");
    return results;
  }

  /** True when the index needs no new work: it has a record, and that record is not a failure to retry. */
  isDone(index: number): boolean {
    const status = this.scan.statuses.get(index);
    return status !== undefined && !(this.retryFailed && status === "failed");
  }

  get previouslyDone(): number {
    let n = 0;
    for (const index of this.scan.statuses.keys()) if (this.isDone(index)) n++;
    return n;
  }

  append(record: T): void {
    if (this.fd === undefined) throw new Error(`${this.path} is closed`);
    if (this.scan.statuses.has(record.index)) this.rewritten = true;
    writeSync(this.fd, `${JSON.stringify(record)}\n`);
  }

  async close(): Promise<void> {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
    if (this.rewritten || this.scan.duplicateIndexes > 0 || this.scan.corruptLines.length > 0) await compact(this.path);
  }
}

/** Rewrites the file keeping, per index, only its last record (and dropping corrupt lines); atomic via rename. */
export async function compact(path: string): Promise<void> {
  const last = new Map<number, number>();
  let lineNo = 0;
  for await (const line of lines(path)) {
    lineNo++;
    const record = line.trim() ? parseRecord(line) : undefined;
    if (record) last.set(record.index, lineNo);
  }
  await writeLinesAtomic(
    path,
    (async function* () {
      let at = 0;
      for await (const line of lines(path)) {
        at++;
        const record = line.trim() ? parseRecord(line) : undefined;
        if (record && last.get(record.index) === at) yield `${line}\n`;
      }
    })(),
  );
}
