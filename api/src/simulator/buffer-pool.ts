/**
 * Scratch buffers for message pages, reused.
 *
 * Why: a page of 1,000 messages reads ~1 MB of lines from disk and writes ~1 MB of JSON.
 * Allocated fresh, each buffer is external memory to V8, which answers a few dozen of them with
 * a full mark-compact: measured while serving pages, ~30 collections a second, a third of the
 * simulator's CPU. Reused, they cost nothing after the first pages.
 *
 * Buffers come in power-of-two sizes from 64 KiB, so any returned buffer fits a later request of
 * its class; at most `maxBytes` are kept, the rest are left to the garbage collector.
 */
export class BufferPool {
  private readonly free = new Map<number, Buffer[]>();
  private kept = 0;

  constructor(private readonly maxBytes = 64 << 20) {}

  /** A buffer of at least `size` bytes, with stale contents: write before reading. */
  take(size: number): Buffer {
    const cls = sizeClass(size);
    const b = this.free.get(cls)?.pop();
    if (b) {
      this.kept -= b.length;
      return b;
    }
    return Buffer.allocUnsafeSlow(cls);
  }

  /** Returns a buffer from `take`; the caller must hold no view of it any more. */
  give(b: Buffer): void {
    // Only whole buffers of a size class (those `take` makes), and within the bound.
    if (b.byteOffset !== 0 || b.buffer.byteLength !== b.length || sizeClass(b.length) !== b.length) return;
    if (this.kept + b.length > this.maxBytes) return;
    let list = this.free.get(b.length);
    if (!list) this.free.set(b.length, (list = []));
    list.push(b);
    this.kept += b.length;
  }

  /** Bytes held for reuse. */
  get keptBytes(): number {
    return this.kept;
  }
}

function sizeClass(size: number): number {
  let c = 64 << 10;
  while (c < size) c *= 2;
  return c;
}

/** The pool message pages use (fixture reads, response bodies). */
export const pagePool = new BufferPool();
