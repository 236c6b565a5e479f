import { GrowableInt32Array } from "../self-bleu/growable.js";

/**
 * Many strings kept as UTF-8 in one growing buffer with offsets. Holding a million queries as JS strings makes V8
 * size its heap (and its tolerance for garbage) to them: peak RSS of a 1M curate fell from ~1.5 GiB to ~0.7 GiB.
 */
export class TextStore {
  private buffer = Buffer.allocUnsafe(1 << 20);
  private readonly ends = new GrowableInt32Array(1 << 12);
  private used = 0;

  get size(): number {
    return this.ends.length;
  }

  push(text: string): void {
    const room = this.used + text.length * 3;
    if (room > 0x7fffffff) throw new RangeError("more than 2 GiB of query text");
    if (room > this.buffer.length) {
      const next = Buffer.allocUnsafe(Math.min(0x7fffffff, Math.max(room, this.buffer.length * 2)));
      this.buffer.copy(next, 0, 0, this.used);
      this.buffer = next;
    }
    this.used += this.buffer.write(text, this.used, "utf8");
    this.ends.push(this.used);
  }

  get(i: number): string {
    const start = i === 0 ? 0 : this.ends.get(i - 1);
    return this.buffer.toString("utf8", start, this.ends.get(i));
  }
}
