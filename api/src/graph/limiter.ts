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

interface Waiter {
  key: string | undefined;
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
    await this.acquire(key);
    try {
      return await task();
    } finally {
      this.release(key);
    }
  }

  /** Requests running now, in total or for one key. */
  running(key?: string): number {
    return key === undefined ? this.active : (this.activeByKey.get(key) ?? 0);
  }

  /** Requests waiting for a slot. */
  waiting(): number {
    return this.queue.length;
  }

  private canStart(key: string | undefined): boolean {
    if (this.active >= this.global) return false;
    return key === undefined || (this.activeByKey.get(key) ?? 0) < this.perKey;
  }

  private take(key: string | undefined): void {
    this.active += 1;
    if (key !== undefined) this.activeByKey.set(key, (this.activeByKey.get(key) ?? 0) + 1);
  }

  private acquire(key: string | undefined): Promise<void> {
    // Nobody overtakes a queued waiter with the same key. Waiters of other keys are only ever
    // queued while their own key is full (drain starts them otherwise), so they cannot be overtaken.
    if (this.canStart(key) && !this.queue.some((w) => w.key === key)) {
      this.take(key);
      return Promise.resolve();
    }
    return new Promise((resolve) => this.queue.push({ key, start: resolve }));
  }

  private release(key: string | undefined): void {
    this.active -= 1;
    if (key !== undefined) {
      const left = (this.activeByKey.get(key) ?? 1) - 1;
      if (left === 0) this.activeByKey.delete(key);
      else this.activeByKey.set(key, left);
    }
    this.drain();
  }

  private drain(): void {
    const blocked = new Set<string | undefined>();
    for (let i = 0; i < this.queue.length && this.active < this.global; ) {
      const waiter = this.queue[i]!;
      if (blocked.has(waiter.key) || !this.canStart(waiter.key)) {
        // Keep FIFO within a key: later waiters of a blocked key stay behind this one.
        blocked.add(waiter.key);
        i += 1;
        continue;
      }
      this.queue.splice(i, 1);
      this.take(waiter.key);
      waiter.start();
    }
  }
}

function positiveInt(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) {
    throw new AppError('CONFIG_INVALID', `The Graph concurrency limit ${name} must be a positive integer, got ${value}.`, { [name]: value });
  }
  return value;
}
