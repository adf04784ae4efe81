/**
 * Time as a dependency. Services never call `Date.now()` or `setTimeout` directly, so tests
 * drive the scheduler and the run clock with a fake (see tests/api/support/fake-time.ts).
 */
export interface Clock {
  now(): Date;
}

export type TimerHandle = unknown;

export interface Timer {
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export const systemClock: Clock = { now: () => new Date() };

export const systemTimer: Timer = {
  setTimeout(callback, ms) {
    const handle = setTimeout(callback, ms);
    // A pending schedule must never keep the process (or a test runner) alive on its own.
    handle.unref?.();
    return handle;
  },
  clearTimeout(handle) {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
  },
};
