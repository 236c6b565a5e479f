import { AtomicWriteStream } from "../util/files.js";

/**
 * A buffered JSONL file written under a temporary name and renamed when closed, so a crashed run never leaves a
 * half-written file that looks finished.
 */
export class JsonlWriter {
  private readonly file: AtomicWriteStream;
  private buffer: string[] = [];
  private size = 0;
  private closed = false;
  count = 0;

  constructor(readonly path: string) {
    // A fixed temporary name: the next run overwrites what a crashed one left.
    this.file = new AtomicWriteStream(path, { temporary: `${path}.partial` });
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
    await this.file.write(chunk);
  }

  /** Stops writing and removes the temporary file (the run failed or was interrupted). */
  async discard(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.buffer = [];
    await this.file.discard();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.flush();
    await this.file.commit();
  }
}
