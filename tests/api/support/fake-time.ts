/** A clock and a timer that only move when the test says so. */
import type { Clock, Timer, TimerHandle } from '../../../api/src/services/clock';

interface Pending {
  id: number;
  at: number;
  callback: () => void;
}

export class FakeTime implements Clock, Timer {
  private t: number;
  private seq = 0;
  private pending: Pending[] = [];

  constructor(start: string | Date) {
    this.t = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.t);
  }

  setTimeout(callback: () => void, ms: number): TimerHandle {
    const id = ++this.seq;
    this.pending.push({ id, at: this.t + Math.max(0, ms), callback });
    return id;
  }

  clearTimeout(handle: TimerHandle): void {
    this.pending = this.pending.filter((p) => p.id !== handle);
  }

  /** When the earliest timer is due, or null. */
  nextTimerAt(): Date | null {
    const next = [...this.pending].sort((a, b) => a.at - b.at)[0];
    return next ? new Date(next.at) : null;
  }

  /**
   * Moves time forward, firing due timers in order. After each firing, `settle` runs so the
   * async work a timer starts (and the timers it arms) happens before time moves on.
   */
  async advance(ms: number, settle: () => Promise<void> = flush): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      const next = [...this.pending].sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!next || next.at > end) break;
      this.pending = this.pending.filter((p) => p.id !== next.id);
      this.t = Math.max(this.t, next.at);
      next.callback();
      await settle();
    }
    this.t = end;
    await settle();
  }

  set(to: string | Date): void {
    this.t = new Date(to).getTime();
  }
}

export async function flush(): Promise<void> {
  for (let i = 0; i < 20; i += 1) await new Promise((resolve) => setImmediate(resolve));
}
