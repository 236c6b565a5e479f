/** An append-only Int32 array that doubles its backing store: compact storage for millions of small integers. */
export class GrowableInt32Array {
  private data: Int32Array;
  length = 0;

  constructor(initialCapacity = 16) {
    this.data = new Int32Array(Math.max(1, initialCapacity));
  }

  push(value: number): void {
    if (this.length === this.data.length) this.grow(this.length + 1);
    this.data[this.length++] = value;
  }

  pushPair(a: number, b: number): void {
    if (this.length + 2 > this.data.length) this.grow(this.length + 2);
    this.data[this.length++] = a;
    this.data[this.length++] = b;
  }

  /** The backing store (valid up to `length`; replaced when the array grows): for hot loops that avoid views. */
  get array(): Int32Array {
    return this.data;
  }

  get(i: number): number {
    return this.data[i]!;
  }

  /** A view of the stored values (invalidated by the next push). */
  view(start = 0, end = this.length): Int32Array {
    return this.data.subarray(start, end);
  }

  private grow(needed: number): void {
    let capacity = this.data.length * 2;
    while (capacity < needed) capacity *= 2;
    const next = new Int32Array(capacity);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
}
