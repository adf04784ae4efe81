import fc from 'fast-check';
import { mapBounded } from './map-bounded';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('mapBounded', () => {
  it('when random workloads run under random limits, then never more than the limit run at once, the cap is reached, and every item is processed once, in order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 40 }), fc.integer({ min: 1, max: 8 }), async (ticks, limit) => {
        let running = 0;
        let peak = 0;
        const started: number[] = [];
        const results = await mapBounded(ticks, limit, async (t, index) => {
          started.push(index);
          running += 1;
          peak = Math.max(peak, running);
          // At least one tick: every lane is under way before the first item finishes.
          for (let i = 0; i <= t; i += 1) await tick();
          running -= 1;
          return index * 10;
        });
        expect(peak).toBeLessThanOrEqual(limit);
        expect(peak).toBe(Math.min(limit, ticks.length));
        expect(started).toEqual(ticks.map((_t, i) => i));
        expect(results).toEqual(ticks.map((_t, i) => i * 10));
      }),
      { numRuns: 150 },
    );
  });

  it('when a worker rejects, then at most the other lanes start one more item each, the running ones finish, and the first error is thrown', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 30 }).chain((n) => fc.tuple(fc.constant(n), fc.integer({ min: 0, max: n - 1 }), fc.integer({ min: 1, max: 6 }))),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 30, maxLength: 30 }),
        async ([n, failing, limit], ticks) => {
          let running = 0;
          let startedAfterFailure = 0;
          let failed = false;
          const thrown = await mapBounded(Array.from({ length: n }, (_v, i) => i), limit, async (i) => {
            if (failed) startedAfterFailure += 1;
            running += 1;
            for (let k = 0; k < ticks[i]!; k += 1) await tick();
            running -= 1;
            // A later item may fail too: the first error is the one thrown.
            if (i === failing || (failed && i % 2 === 0)) {
              const first = !failed;
              failed = true;
              throw new Error(first ? `first failure (item ${i})` : `later failure (item ${i})`);
            }
          }).then(
            () => null,
            (e: unknown) => e,
          );
          expect(thrown).toEqual(new Error(`first failure (item ${failing})`));
          // The pool learns of a rejection one microtask after it happens: a lane whose item
          // finished in that same moment may already be starting its next one, never two.
          expect(startedAfterFailure).toBeLessThanOrEqual(limit - 1);
          expect(running).toBe(0);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('when one lane runs and an item fails, then no later item starts', async () => {
    const started: number[] = [];

    const outcome = mapBounded([0, 1, 2, 3, 4], 1, async (i) => {
      started.push(i);
      await tick();
      if (i === 2) throw new Error('item 2');
    });

    await expect(outcome).rejects.toThrow('item 2');
    expect(started).toEqual([0, 1, 2]);
  });

  test.each([
    ['a worker that throws synchronously', () => { throw new Error('sync'); }, 'sync'],
    ['a worker that rejects', () => Promise.reject(new Error('async')), 'async'],
  ])('when %s, then mapBounded rejects with its error', async (_name, worker, message) => {
    await expect(mapBounded([1, 2, 3], 2, worker as (n: number) => Promise<void>)).rejects.toThrow(message);
  });

  test.each([
    [[], 3, []],
    [[1, 2, 3], 1, [2, 4, 6]],
    [[1, 2, 3], 10, [2, 4, 6]],
    [[1, 2, 3], Infinity, [2, 4, 6]],
  ])('when the items are %j and the limit %p, then the results are %j', async (items, limit, expected) => {
    await expect(mapBounded(items, limit, (n) => Promise.resolve(n * 2))).resolves.toEqual(expected);
  });

  test.each([0, -1, 1.5, Number.NaN])('when the limit is %p, then it throws before running anything', async (limit) => {
    const worker = jest.fn(() => Promise.resolve());
    await expect(mapBounded([1, 2], limit, worker)).rejects.toThrow(/positive integer/);
    expect(worker).not.toHaveBeenCalled();
  });

  it('when a worker catches its own failures, then every item is processed (the run and fan-out pattern)', async () => {
    const done: number[] = [];
    const failures: number[] = [];
    await mapBounded([1, 2, 3, 4, 5, 6, 7, 8, 9], 4, async (n) => {
      try {
        await tick();
        if (n % 3 === 0) throw new Error(`boom ${n}`);
        done.push(n);
      } catch {
        failures.push(n);
      }
    });
    expect(done.sort()).toEqual([1, 2, 4, 5, 7, 8]);
    expect(failures.sort()).toEqual([3, 6, 9]);
  });
});
