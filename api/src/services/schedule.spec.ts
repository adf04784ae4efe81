import { nextOccurrence, scheduleAnchoredAt, scheduleSchema } from './schedule';

describe('nextOccurrence', () => {
  it.each([
    // [schedule, after, expected]
    [{ dayOfWeek: 1, hour: 6, minute: 0, timeZone: 'UTC' }, '2026-03-04T10:00:00Z', '2026-03-09T06:00:00.000Z'],
    [{ dayOfWeek: 3, hour: 6, minute: 0, timeZone: 'UTC' }, '2026-03-04T05:59:00Z', '2026-03-04T06:00:00.000Z'],
    [{ dayOfWeek: 3, hour: 6, minute: 0, timeZone: 'UTC' }, '2026-03-04T06:00:00Z', '2026-03-11T06:00:00.000Z'],
    // Amsterdam is UTC+1 in winter, UTC+2 after 29 March 2026.
    [{ dayOfWeek: 1, hour: 6, minute: 0, timeZone: 'Europe/Amsterdam' }, '2026-03-20T00:00:00Z', '2026-03-23T05:00:00.000Z'],
    [{ dayOfWeek: 1, hour: 6, minute: 0, timeZone: 'Europe/Amsterdam' }, '2026-03-24T00:00:00Z', '2026-03-30T04:00:00.000Z'],
    // New York, Sunday 23:30 local is Monday 03:30/04:30 UTC; 2026-01-05T00:00Z is still Sunday there.
    [{ dayOfWeek: 0, hour: 23, minute: 30, timeZone: 'America/New_York' }, '2026-01-05T00:00:00Z', '2026-01-05T04:30:00.000Z'],
    [{ dayOfWeek: 0, hour: 23, minute: 30, timeZone: 'America/New_York' }, '2026-07-01T00:00:00Z', '2026-07-06T03:30:00.000Z'],
    // A zone ahead of UTC whose local date is already the next day.
    [{ dayOfWeek: 2, hour: 1, minute: 15, timeZone: 'Pacific/Auckland' }, '2026-05-04T14:00:00Z', '2026-05-11T13:15:00.000Z'],
  ])('when the schedule is %j and it is %s, then the next run is %s', (schedule, after, expected) => {
    expect(nextOccurrence(schedule, new Date(after)).toISOString()).toBe(expected);
  });

  it('when the next occurrence is computed repeatedly, then the runs are one week apart in UTC', () => {
    const schedule = scheduleAnchoredAt(new Date('2026-02-03T16:45:00Z'));
    let t = new Date('2026-02-03T16:45:00Z');
    for (let i = 0; i < 5; i += 1) {
      const next = nextOccurrence(schedule, t);
      expect(next.getTime() - t.getTime()).toBe(7 * 86_400_000);
      t = next;
    }
  });

  it('when the time zone is not an IANA zone, then validation says so', () => {
    const result = scheduleSchema.safeParse({ dayOfWeek: 1, hour: 6, minute: 0, timeZone: 'Mars/Olympus' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toMatch(/IANA time zone/);
  });
});
