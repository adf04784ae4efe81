import fc from 'fast-check';
import { AppError } from '../errors';
import { ConcurrencyLimiter } from './limiter';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('ConcurrencyLimiter', () => {
  it('when random tasks on random mailboxes run, then never more than the per-mailbox or global limit run at once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ key: fc.constantFrom('a', 'b', 'c', undefined), ticks: fc.integer({ min: 0, max: 3 }) }), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 8 }),
        async (tasks, perKey, global) => {
          const limiter = new ConcurrencyLimiter({ perKey, global });
          const running = new Map<string, number>();
          let total = 0;
          let violations = 0;
          await Promise.all(
            tasks.map((t) =>
              limiter.run(t.key, async () => {
                total += 1;
                const k = t.key ?? '(global)';
                running.set(k, (running.get(k) ?? 0) + 1);
                if (total > global || (t.key !== undefined && running.get(k)! > perKey)) violations += 1;
                for (let i = 0; i < t.ticks; i += 1) await tick();
                running.set(k, running.get(k)! - 1);
                total -= 1;
              }),
            ),
          );
          expect(violations).toBe(0);
          expect(limiter.running()).toBe(0);
          expect(limiter.waiting()).toBe(0);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('when one mailbox has more waiters than slots, then they start in submission order', async () => {
    const limiter = new ConcurrencyLimiter({ perKey: 2, global: 10 });
    const started: number[] = [];
    await Promise.all(
      Array.from({ length: 8 }, (_, i) =>
        limiter.run('m', async () => {
          started.push(i);
          await tick();
        }),
      ),
    );
    expect(started).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('when one mailbox is at its limit, then waiters for other mailboxes are not held behind it', async () => {
    const limiter = new ConcurrencyLimiter({ perKey: 1, global: 4 });
    let releaseA!: () => void;
    const a1 = limiter.run('a', () => new Promise<void>((resolve) => (releaseA = resolve)));
    const a2 = limiter.run('a', async () => 'a2');
    const b1 = await limiter.run('b', async () => 'b1');
    expect(b1).toBe('b1');
    expect(limiter.waiting()).toBe(1);
    releaseA();
    await expect(a2).resolves.toBe('a2');
    await a1;
  });

  it('when a task throws, then its slot is released and the error propagates', async () => {
    const limiter = new ConcurrencyLimiter({ perKey: 1, global: 1 });
    await expect(limiter.run('m', async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run('m', async () => 'next')).resolves.toBe('next');
  });

  it('when the limits are not positive integers, then the configuration is rejected', () => {
    expect(() => new ConcurrencyLimiter({ perKey: 0 })).toThrow(AppError);
    expect(() => new ConcurrencyLimiter({ global: 1.5 })).toThrow(AppError);
  });
});

describe('ConcurrencyLimiter.runMany (a $batch taking several slots of its mailboxes)', () => {
  it('when a batch needs 4 slots of a mailbox that has 1 in use, then it waits for all 4 and takes them at once, while another mailbox goes ahead', async () => {
    const limiter = new ConcurrencyLimiter({ perKey: 4, global: 8 });
    let releaseSingle!: () => void;
    const single = limiter.run('a', () => new Promise<void>((resolve) => (releaseSingle = resolve)));
    const order: string[] = [];
    const batch = limiter.runMany(new Map([['a', 4], ['b', 2]]), async () => {
      order.push(`batch a=${limiter.running('a')} b=${limiter.running('b')}`);
    });
    const other = limiter.run('c', async () => {
      order.push('c');
    });
    await other;
    expect(order).toEqual(['c']);
    expect(limiter.running('a')).toBe(1);
    releaseSingle();
    await Promise.all([single, batch]);
    expect(order).toEqual(['c', 'batch a=4 b=2']);
    expect(limiter.running()).toBe(0);
  });

  it('when a batch waits for a mailbox, then a later single request of that mailbox does not overtake it', async () => {
    const limiter = new ConcurrencyLimiter({ perKey: 4, global: 8 });
    let release!: () => void;
    const first = limiter.run('a', () => new Promise<void>((resolve) => (release = resolve)));
    const order: string[] = [];
    const batch = limiter.runMany(new Map([['a', 4]]), async () => void order.push('batch'));
    const later = limiter.run('a', async () => void order.push('later'));
    await Promise.resolve();
    expect(order).toEqual([]);
    release();
    await Promise.all([first, batch, later]);
    expect(order).toEqual(['batch', 'later']);
  });

  it.each([0, 5, 1.5])('when a batch asks for %p slots of one mailbox (limit 4), then it is refused', async (count) => {
    const limiter = new ConcurrencyLimiter({ perKey: 4 });
    await expect(limiter.runMany(new Map([['a', count]]), async () => undefined)).rejects.toMatchObject({ code: 'INTERNAL' });
  });
});
