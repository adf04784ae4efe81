/**
 * Concurrency limiting for Graph requests.
 *
 * Graph allows at most 4 concurrent requests per app and mailbox (DESIGN.md §5), so every
 * request made on behalf of a mailbox runs under that mailbox's key. A global limit caps the
 * whole process. Waiters are served first come, first served among those that can run: a
 * waiter whose mailbox is at its limit does not block waiters for other mailboxes, and within
 * one mailbox the order is strictly FIFO.
 */
import { AppError } from '../errors';

export interface ConcurrencyLimiterOptions {
  /** Concurrent requests per key (mailbox). @default 4 */
  perKey?: number;
  /** Concurrent requests in total. @default 16 */
  global?: number;
}

/** Slots a task needs: one global slot, and `count` slots of each key. */
type Claim = ReadonlyArray<readonly [key: string, count: number]>;

interface Waiter {
  claim: Claim;
  start: () => void;
}

export class ConcurrencyLimiter {
  readonly perKey: number;
  readonly global: number;
  private active = 0;
  private readonly activeByKey = new Map<string, number>();
  private readonly queue: Waiter[] = [];

  constructor(options: ConcurrencyLimiterOptions = {}) {
    this.perKey = positiveInt(options.perKey ?? 4, 'perKey');
    this.global = positiveInt(options.global ?? 16, 'global');
  }

  /** Runs `task` once a slot is free for `key` (undefined: only the global limit applies). */
  async run<T>(key: string | undefined, task: () => Promise<T>): Promise<T> {
    return this.runClaim(key === undefined ? [] : [[key, 1]], task);
  }

  /**
   * Runs `task`, one HTTP request, once one global slot and `perKeyCounts` slots of each key
   * are free, all taken at once. A `$batch` is one request whose members Graph counts against
   * their mailboxes one by one (batch.ts): taking them together, never a part while waiting
   * for the rest, is what keeps two batches of one mailbox from blocking each other for good.
   */
  async runMany<T>(perKeyCounts: ReadonlyMap<string, number>, task: () => Promise<T>): Promise<T> {
    const claim: Array<[string, number]> = [];
    for (const [key, count] of perKeyCounts) {
      if (!Number.isInteger(count) || count < 1 || count > this.perKey) {
        throw new AppError('INTERNAL', `A request cannot take ${count} of the ${this.perKey} slots of one mailbox.`, { count, perKey: this.perKey });
      }
      claim.push([key, count]);
    }
    return this.runClaim(claim, task);
  }

  private async runClaim<T>(claim: Claim, task: () => Promise<T>): Promise<T> {
    await this.acquire(claim);
    try {
      return await task();
    } finally {
      this.release(claim);
    }
  }

  /** Requests running now, in total or for one key. */
  running(key?: string): number {
    // Per key: slots taken (a batch takes one per member); in total: requests.
    return key === undefined ? this.active : (this.activeByKey.get(key) ?? 0);
  }

  /** Requests waiting for a slot. */
  waiting(): number {
    return this.queue.length;
  }

  private canStart(claim: Claim): boolean {
    if (this.active >= this.global) return false;
    return claim.every(([key, count]) => (this.activeByKey.get(key) ?? 0) + count <= this.perKey);
  }

  private take(claim: Claim): void {
    this.active += 1;
    for (const [key, count] of claim) this.activeByKey.set(key, (this.activeByKey.get(key) ?? 0) + count);
  }

  private acquire(claim: Claim): Promise<void> {
    // Nobody overtakes a queued waiter sharing a key (or, without keys, a queued keyless
    // waiter). Waiters of other keys are only ever queued while one of their keys is full
    // (drain starts them otherwise), so they cannot be overtaken.
    if (this.canStart(claim) && !this.queue.some((w) => sharesKey(w.claim, claim))) {
      this.take(claim);
      return Promise.resolve();
    }
    return new Promise((resolve) => this.queue.push({ claim, start: resolve }));
  }

  private release(claim: Claim): void {
    this.active -= 1;
    for (const [key, count] of claim) {
      const left = (this.activeByKey.get(key) ?? count) - count;
      if (left <= 0) this.activeByKey.delete(key);
      else this.activeByKey.set(key, left);
    }
    this.drain();
  }

  private drain(): void {
    const blocked: Claim[] = [];
    for (let i = 0; i < this.queue.length && this.active < this.global; ) {
      const waiter = this.queue[i]!;
      if (blocked.some((b) => sharesKey(b, waiter.claim)) || !this.canStart(waiter.claim)) {
        // Keep FIFO within a key: later waiters sharing a key with a blocked one stay behind it.
        blocked.push(waiter.claim);
        i += 1;
        continue;
      }
      this.queue.splice(i, 1);
      this.take(waiter.claim);
      waiter.start();
    }
  }
}

/** Whether two claims must keep their order: they share a key, or neither has one (global only). */
function sharesKey(a: Claim, b: Claim): boolean {
  if (a.length === 0 || b.length === 0) return a.length === b.length;
  return a.some(([key]) => b.some(([other]) => other === key));
}

function positiveInt(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new AppError('CONFIG_INVALID', `The Graph concurrency limit ${name} must be a positive integer, got ${value}.`, { [name]: value });
  }
  return value;
}
