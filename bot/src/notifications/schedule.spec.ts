import { nextOccurrence } from './schedule';

describe('nextOccurrence', () => {
  test.each([
    // Monday 08:00 in Jakarta (UTC+7) is Monday 01:00 UTC.
    ['2026-01-12T00:30:00.000Z', 1, 8, 'Asia/Jakarta', '2026-01-12T01:00:00.000Z'],
    // Already past this week's: next week.
    ['2026-01-12T02:00:00.000Z', 1, 8, 'Asia/Jakarta', '2026-01-19T01:00:00.000Z'],
    // Exactly on the hour counts.
    ['2026-01-12T01:00:00.000Z', 1, 8, 'Asia/Jakarta', '2026-01-12T01:00:00.000Z'],
    // Sunday 09:00 in New York after the March change to daylight time (UTC-4).
    ['2026-03-04T00:00:00.000Z', 0, 9, 'America/New_York', '2026-03-08T13:00:00.000Z'],
    ['2026-01-12T09:00:00.000Z', 5, 17, 'UTC', '2026-01-16T17:00:00.000Z'],
  ])('when it is %s and the choice is day %i at %i in %s, then it is due at %s', (from, day, hour, zone, due) => {
    expect(nextOccurrence(new Date(from), day, hour, zone).toISOString()).toBe(due);
  });
});
