import { createWriteStream, renameSync, rmSync, type WriteStream } from "node:fs";
import { once } from "node:events";

/**
 * A buffered JSONL file written under a temporary name and renamed when closed, so a crashed run never leaves a
 * half-written file that looks finished.
 */
export class JsonlWriter {
  private readonly stream: WriteStream;
  private buffer: string[] = [];
  private size = 0;
  private closed = false;
  count = 0;

  constructor(readonly path: string) {
    this.stream = createWriteStream(`${path}.partial`);
  }

  async write(record: object): Promise<void> {
    const line = `${JSON.stringify(record)}\n`;
    this.buffer.push(line);
    this.size += line.length;
    this.count++;
    if (this.size >= 1 << 20) await this.flush();
  }

  private async flush(): Promise<void> {
    if (!this.buffer.length) return;
    const chunk = this.buffer.join("");
    this.buffer = [];
    this.size = 0;
    if (!this.stream.write(chunk)) await once(this.stream, "drain");
  }

  /** Stops writing and removes the temporary file (the run failed or was interrupted). */
  async discard(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.buffer = [];
    this.stream.end();
    await once(this.stream, "close").catch(() => undefined);
    rmSync(`${this.path}.partial`, { force: true });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.flush();
    this.stream.end();
    await once(this.stream, "finish");
    renameSync(`${this.path}.partial`, this.path);
  }
}
