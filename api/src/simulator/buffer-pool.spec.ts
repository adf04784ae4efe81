import { BufferPool } from './buffer-pool';

describe('BufferPool', () => {
  it.each([
    [1, 64 << 10],
    [64 << 10, 64 << 10],
    [(64 << 10) + 1, 128 << 10],
    [700_000, 1 << 20],
  ])('when %i bytes are asked for, then the buffer is %i bytes (its size class)', (size, want) => {
    expect(new BufferPool().take(size).length).toBe(want);
  });

  it('when a buffer is given back, then the next request of its class gets it again', () => {
    const pool = new BufferPool();
    const b = pool.take(100_000);
    pool.give(b);
    expect(pool.keptBytes).toBe(b.length);
    expect(pool.take(70_000)).toBe(b);
    expect(pool.keptBytes).toBe(0);
    expect(pool.take(70_000)).not.toBe(b);
  });

  it('when a buffer is not a whole one of a size class, or the bound is reached, then it is not kept', () => {
    const pool = new BufferPool(128 << 10);
    pool.give(Buffer.alloc(100)); // not a size class
    pool.give(Buffer.allocUnsafeSlow(128 << 10).subarray(0, 64 << 10)); // a view of a larger buffer
    expect(pool.keptBytes).toBe(0);
    const [first, second] = [pool.take(1), pool.take(1)];
    pool.give(first);
    pool.give(second);
    expect(pool.keptBytes).toBe(128 << 10);
    pool.give(Buffer.allocUnsafeSlow(64 << 10)); // over the bound
    expect(pool.keptBytes).toBe(128 << 10);
  });
});
