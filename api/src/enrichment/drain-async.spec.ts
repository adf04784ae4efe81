import type { Slices } from '../engagement';
import { drainAsync } from './drain-async';

/** Busy work in slices of ~`sliceMs`, `slices` of them; returns how many ran. */
function* busy(slices: number, sliceMs: number): Slices<number> {
  for (let i = 0; i < slices; i++) {
    const until = performance.now() + sliceMs;
    while (performance.now() < until);
    yield;
  }
  return slices;
}

describe('drainAsync', () => {
  it('when a computation runs far longer than a turn, then other callbacks run between its turns', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    try {
      // 60 ms of work in 2 ms slices, turns of 10 ms: about six turns.
      expect(await drainAsync(busy(30, 2), 10)).toBe(30);
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBeGreaterThanOrEqual(3);
  });

  it('when the computation ends within one turn, then its value comes back without yielding to timers', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    try {
      expect(await drainAsync(busy(3, 0), 1_000)).toBe(3);
    } finally {
      clearInterval(timer);
    }
    expect(ticks).toBe(0);
  });

  it('when the computation throws, then the promise rejects with its error', async () => {
    function* failing(): Slices<number> {
      yield;
      throw new Error('broken cell');
    }
    await expect(drainAsync(failing(), 0)).rejects.toThrow('broken cell');
  });
});
