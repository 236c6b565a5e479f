import { createReadStream } from "node:fs";

export interface DecodedLine {
  /** 1-based line number. */
  line: number;
  text: string;
  /** Not valid UTF-8: decoded as Windows-1252 instead. */
  recoded: boolean;
  /** The line was longer than the limit: `text` holds only its start. */
  truncated?: boolean;
}

/** Longer lines are reported, not read whole, so one runaway line cannot exhaust memory. */
export const MAX_LINE_BYTES = 8 << 20;

const utf8 = new TextDecoder("utf-8", { fatal: true });
const windows1252 = new TextDecoder("windows-1252");

/** UTF-8 when it is valid UTF-8; otherwise the bytes are most likely a legacy Western encoding. */
export function decodeLine(bytes: Uint8Array): { text: string; recoded: boolean } {
  try {
    return { text: utf8.decode(bytes), recoded: false };
  } catch {
    return { text: windows1252.decode(bytes), recoded: true };
  }
}

/**
 * Streams a file's lines in batches with constant memory. Lines split at LF (a CR before it is dropped); each line
 * is decoded on its own, so one line in another encoding is recovered without touching its neighbours. A UTF-8
 * byte-order mark at the start is skipped.
 */
export async function* readByteLines(path: string, progress?: { bytes: number }): AsyncGenerator<DecodedLine[]> {
  let carry: Buffer | undefined;
  let lineNo = 0;
  let first = true;
  let overflow = false;
  const toLine = (bytes: Buffer): DecodedLine => {
    let body = bytes.length && bytes[bytes.length - 1] === 0x0d ? bytes.subarray(0, bytes.length - 1) : bytes;
    if (first) {
      first = false;
      if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) body = body.subarray(3);
    }
    return { line: ++lineNo, ...decodeLine(body) };
  };
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    if (progress) progress.bytes += chunk.length;
    const data: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
    const batch: DecodedLine[] = [];
    let start = 0;
    for (let end = data.indexOf(0x0a, start); end >= 0; end = data.indexOf(0x0a, start)) {
      if (overflow) overflow = false; // the tail of a line already reported as too long
      else batch.push(toLine(data.subarray(start, end)));
      start = end + 1;
    }
    const rest = data.subarray(start);
    carry = undefined;
    if (overflow) {
      // still inside a too-long line: drop its bytes
    } else if (rest.length > MAX_LINE_BYTES) {
      batch.push({ ...toLine(rest.subarray(0, 200)), truncated: true });
      overflow = true;
    } else if (rest.length) carry = Buffer.from(rest);
    if (batch.length) yield batch;
  }
  if (carry && carry.length) yield [toLine(carry)];
}
