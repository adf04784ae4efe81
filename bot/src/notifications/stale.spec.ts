import { officeRow, staleRow } from '../../../tests/bot/fakes';
import { biggestMovers, isStale, newlyStale } from './stale';

const rule = { staleDays: 60, upcomingMeetingSuppressesStale: true };

describe('isStale (DESIGN.md §3)', () => {
  test.each([
    [{ DaysSinceLastemail: 61, DaysSinceLastMeeting: 61 }, true],
    [{ DaysSinceLastemail: 60, DaysSinceLastMeeting: 90 }, false],
    [{ DaysSinceLastemail: null, DaysSinceLastMeeting: null }, true],
    [{ DaysSinceLastemail: null, DaysSinceLastMeeting: 10 }, false],
    [{ DaysSinceLastemail: 90, DaysSinceLastMeeting: 90, NextMeetingDate: '2026-02-01T00:00:00Z' }, false],
  ])('when the row is %j, then stale is %s', (overrides, expected) => {
    expect(isStale(officeRow('a', 'A', overrides), rule)).toBe(expected);
  });

  test('when upcoming-meeting suppression is off, then a planned meeting does not save the account', () => {
    expect(isStale(staleRow('a', 'A', { NextMeetingDate: '2026-02-01T00:00:00Z' }), { ...rule, upcomingMeetingSuppressesStale: false })).toBe(true);
  });

  test('when the threshold is configured, then it is used', () => {
    expect(isStale(officeRow('a', 'A', { DaysSinceLastemail: 45, DaysSinceLastMeeting: 50 }), { ...rule, staleDays: 30 })).toBe(true);
  });
});

describe('newlyStale', () => {
  test('when accounts were active and are stale now, then only those are newly stale', () => {
    const previous = [officeRow('a', 'A'), staleRow('b', 'B'), officeRow('c', 'C')];
    const current = [staleRow('a', 'A'), staleRow('b', 'B'), officeRow('c', 'C'), staleRow('d', 'D')];
    expect(newlyStale(previous, current, rule).map((r) => r.AccountId)).toEqual(['a']);
  });

  test('when there is no previous run, then nothing is newly stale', () => {
    expect(newlyStale(null, [staleRow('a', 'A')], rule)).toEqual([]);
  });
});

describe('biggestMovers', () => {
  test('when scores changed, then the largest rises and falls come first and unchanged rows are left out', () => {
    const rows = [
      officeRow('a', 'A', { EngagementScoreChange: 5 }),
      officeRow('b', 'B', { EngagementScoreChange: 20 }),
      officeRow('c', 'C', { EngagementScoreChange: -7 }),
      officeRow('d', 'D', { EngagementScoreChange: 0 }),
      officeRow('e', 'E', { EngagementScoreChange: null }),
    ];
    const movers = biggestMovers(rows, 3);
    expect(movers.up.map((r) => r.AccountId)).toEqual(['b', 'a']);
    expect(movers.down.map((r) => r.AccountId)).toEqual(['c']);
  });
});
