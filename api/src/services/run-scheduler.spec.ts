import { isFirstSlotOfMonth } from './run-scheduler';

describe('isFirstSlotOfMonth', () => {
  it.each([
    [null, '2026-11-04T09:00:00Z', true],
    ['2026-10-28T09:00:00Z', '2026-11-04T09:00:00Z', true],
    ['2026-11-04T09:00:00Z', '2026-11-11T09:00:00Z', false],
    ['2026-11-25T09:00:00Z', '2026-12-02T09:00:00Z', true],
    ['2025-11-25T09:00:00Z', '2026-11-25T09:00:00Z', true],
    ['2026-11-30T23:30:00Z', '2026-12-01T00:30:00Z', true],
  ])('when the previous slot was %p and this one is %p, then full = %p', (previous, slot, full) => {
    expect(isFirstSlotOfMonth(previous, new Date(slot))).toBe(full);
  });
});
