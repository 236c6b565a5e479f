import { createHash, randomBytes } from "node:crypto";
import { once } from "node:events";
import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { rename, rm, writeFile } from "node:fs/promises";

/**
 * Atomic writes: every file vpo finishes (outputs, caches, sidecars, conversions) is written under a temporary name
 * beside its target and renamed over it when complete, so readers and resumed runs see the old content or the whole
 * new one, never a part; a failed write removes its temporary file.
 */
export interface AtomicWriteOptions {
  /** The temporary file (default: unique to this process and call). A fixed name lets the next run overwrite what a crash left of a large file. */
  temporary?: string;
}

const temporaryPath = (path: string, options: AtomicWriteOptions) => options.temporary ?? `${path}.${process.pid}-${randomBytes(4).toString("hex")}.partial`;

/** Runs `write` on a temporary path, then renames it over `path`; when `write` throws, the temporary file is removed. */
export async function replaceFile<T>(path: string, write: (temporary: string) => Promise<T>, options: AtomicWriteOptions = {}): Promise<T> {
  const temporary = temporaryPath(path, options);
  try {
    const result = await write(temporary);
    await rename(temporary, path);
    return result;
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await replaceFile(path, (temporary) => writeFile(temporary, data));
}

/** Streams lines (each with its own line end) into `path` atomically, in constant memory; returns how many. */
export async function writeLinesAtomic(path: string, lines: Iterable<string> | AsyncIterable<string>, options: AtomicWriteOptions = {}): Promise<number> {
  const out = new AtomicWriteStream(path, options);
  let n = 0;
  try {
    for await (const line of lines) {
      n++;
      await out.write(line);
    }
  } catch (error) {
    await out.discard();
    throw error;
  }
  await out.commit();
  return n;
}

/** An atomic write fed over time (a curation output that grows as the input is read): `commit` or `discard` it. */
export class AtomicWriteStream {
  private readonly temporary: string;
  private readonly stream: WriteStream;
  private ended = false;

  constructor(
    readonly path: string,
    options: AtomicWriteOptions = {},
  ) {
    this.temporary = temporaryPath(path, options);
    this.stream = createWriteStream(this.temporary);
  }

  /** Resolves once the stream can take more (backpressure). */
  async write(chunk: string): Promise<void> {
    if (!this.stream.write(chunk)) await once(this.stream, "drain");
  }

  /** Finishes the file and renames it over `path`. */
  async commit(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    this.stream.end();
    await once(this.stream, "finish");
    await rename(this.temporary, this.path);
  }

  /** Stops writing and removes the temporary file (the run failed or was interrupted); `path` is left as it was. */
  async discard(): Promise<void> {
    if (this.ended) return;
    this.ended = true;
    if (!this.stream.closed) {
      const closed = once(this.stream, "close");
      this.stream.destroy();
      await closed.catch(() => undefined);
    }
    await rm(this.temporary, { force: true });
  }
}

/** sha256 hex of a file's bytes, streamed. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest("hex");
}

/** The last `max` characters of a text, on one line: for error messages quoting stderr. */
export function tail(text: string, max = 300): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `…${flat.slice(-max)}` : flat;
}
