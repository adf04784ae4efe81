import type { OfficeRowView } from '../engagement/row-privacy';
import type { OfficeRow } from '../engagement/types';
import { becameStaleWithin, daysSinceBecameStale, daysSinceLastContact, meetingsWithin, scoreMovers, weeklyEnriched } from './results-insights';

function row(overrides: Partial<OfficeRow> = {}): OfficeRow {
  return {
    AccountId: 'A',
    AccountName: 'Fabrikam',
    EngagementScore: 50,
    NoOfEmails_ToAccount: 1,
    NoOfEmails_FromAccount: 1,
    NoOfMeetings_FromAccount: 0,
    NoOfMeetings_ToAccount: 0,
    NoOfContactsInvolved_Meetings: 0,
    NoOfContactsInvolved_Emails: 1,
    NoOfAccountContactsInvolved_Meetings: 0,
    NoOfAccountContactsInvolved_Emails: 1,
    EngagementStartdate: null,
    DaysSinceLastemail: null,
    DaysSinceLastMeeting: null,
    AverageDuration_Of_Meetings: null,
    AverageDuration_Of_AccountEmailReplies: null,
    AggregationStartdate: '2025-03-02T00:00:00.000Z',
    AggregationLevel: 'year',
    LastInboundDate: null,
    LastOutboundDate: null,
    NextMeetingDate: null,
    EngagementBand: 'Medium',
    EngagementScoreChange: null,
    ...overrides,
  };
}
const RULES = { staleDays: 60, upcomingMeetingSuppressesStale: true };

describe('daysSinceLastContact', () => {
  it.each([
    [null, null, null],
    [5, null, 5],
    [null, 9, 9],
    [70, 61, 61],
  ])('when email is %p and meeting %p days ago, then the last contact is %p days ago', (email, meeting, expected) => {
    expect(daysSinceLastContact({ DaysSinceLastemail: email, DaysSinceLastMeeting: meeting })).toBe(expected);
  });
});

describe('daysSinceBecameStale', () => {
  it.each<[string, Partial<OfficeRow>, number | null]>([
    ['last contact 61 days ago (threshold 60)', { DaysSinceLastemail: 61 }, 1],
    ['last email 90, meeting 67 days ago', { DaysSinceLastemail: 90, DaysSinceLastMeeting: 67 }, 7],
    ['last contact exactly 60 days ago (not over)', { DaysSinceLastemail: 60 }, null],
    ['never contacted (its own group, never "became" stale)', {}, null],
    ['gone quiet but an upcoming meeting suppresses stale', { DaysSinceLastemail: 80, NextMeetingDate: '2026-03-10T09:00:00.000Z' }, null],
    ['active', { DaysSinceLastemail: 3 }, null],
  ])('when %s, then it became stale %p days before the run', (_, overrides, expected) => {
    expect(daysSinceBecameStale(row(overrides), RULES)).toBe(expected);
  });

  it('when the row is hidden by the privacy threshold, then it never became stale', () => {
    const hidden = { ...row({ DaysSinceLastemail: null }), privacy: { hidden: true, minimumColleagues: 3 } } as OfficeRowView;
    expect(daysSinceBecameStale(hidden, RULES)).toBeNull();
  });

  it('when the threshold is changed, then the crossing moves with it', () => {
    expect(daysSinceBecameStale(row({ DaysSinceLastemail: 35 }), { ...RULES, staleDays: 30 })).toBe(5);
  });
});

describe('becameStaleWithin', () => {
  it('when several accounts went quiet, then those within the days are listed, most recent first', () => {
    const rows = [
      row({ AccountId: 'old', DaysSinceLastemail: 100 }),
      row({ AccountId: 'week', DaysSinceLastemail: 67 }),
      row({ AccountId: 'day', DaysSinceLastMeeting: 61 }),
      row({ AccountId: 'never' }),
      row({ AccountId: 'active', DaysSinceLastemail: 2 }),
    ];
    expect(becameStaleWithin(rows, RULES, 7).map((x) => [x.row.AccountId, x.daysAgo])).toEqual([
      ['day', 1],
      ['week', 7],
    ]);
  });
});

describe('scoreMovers', () => {
  it('when scores changed, then gains are biggest first, drops steepest first, ties by id, unchanged and null left out', () => {
    const rows = [
      row({ AccountId: 'a', EngagementScoreChange: 5 }),
      row({ AccountId: 'b', EngagementScoreChange: 12 }),
      row({ AccountId: 'c', EngagementScoreChange: -3 }),
      row({ AccountId: 'd', EngagementScoreChange: -20 }),
      row({ AccountId: 'e', EngagementScoreChange: 0 }),
      row({ AccountId: 'f', EngagementScoreChange: null }),
      row({ AccountId: 'g', EngagementScoreChange: 5 }),
    ];
    const { gains, drops } = scoreMovers(rows, 2);
    expect(gains.map((r) => r.AccountId)).toEqual(['b', 'a']);
    expect(drops.map((r) => r.AccountId)).toEqual(['d', 'c']);
  });

  it('when it is the first run, then both lists are empty', () => {
    expect(scoreMovers([row(), row({ AccountId: 'b' })], 5)).toEqual({ gains: [], drops: [] });
  });
});

describe('meetingsWithin', () => {
  const now = Date.parse('2026-03-02T12:00:00Z');
  it.each<[string | null, boolean]>([
    ['2026-03-02T12:00:00.000Z', true],
    ['2026-03-09T11:59:59.000Z', true],
    ['2026-03-09T12:00:00.000Z', false],
    ['2026-03-02T11:00:00.000Z', false],
    [null, false],
  ])('when the next meeting is %p, then within 7 days is %p', (next, expected) => {
    expect(meetingsWithin([row({ NextMeetingDate: next })], now, 7)).toHaveLength(expected ? 1 : 0);
  });

  it('when several meet soon, then the soonest comes first', () => {
    const rows = [row({ AccountId: 'later', NextMeetingDate: '2026-03-05T09:00:00.000Z' }), row({ AccountId: 'sooner', NextMeetingDate: '2026-03-03T09:00:00.000Z' })];
    expect(meetingsWithin(rows, now, 7).map((r) => r.AccountId)).toEqual(['sooner', 'later']);
  });
});

describe('weeklyEnriched', () => {
  it('when week rows exist, then every ISO week of the window has its count of accounts, gaps as 0', () => {
    // The window starts on a Wednesday; the run is on the Wednesday three weeks later.
    const weeks = weeklyEnriched(
      ['2026-01-05T00:00:00.000Z', '2026-01-05T00:00:00.000Z', '2026-01-19T00:00:00.000Z'],
      '2026-01-07T00:00:00.000Z',
      '2026-01-28T10:00:00.000Z',
    );
    expect(weeks).toEqual([
      { weekStart: '2026-01-05T00:00:00.000Z', accounts: 2 },
      { weekStart: '2026-01-12T00:00:00.000Z', accounts: 0 },
      { weekStart: '2026-01-19T00:00:00.000Z', accounts: 1 },
      { weekStart: '2026-01-26T00:00:00.000Z', accounts: 0 },
    ]);
  });

  it('when the run is at Monday 00:00, then the week that has not begun is not listed', () => {
    const weeks = weeklyEnriched([], '2026-01-05T00:00:00.000Z', '2026-01-12T00:00:00.000Z');
    expect(weeks.map((w) => w.weekStart)).toEqual(['2026-01-05T00:00:00.000Z']);
  });

  it('when the window is a year, then there are 53 or 54 weeks', () => {
    const weeks = weeklyEnriched([], '2025-03-02T00:00:00.000Z', '2026-03-02T12:00:00.000Z');
    expect(weeks.length).toBeGreaterThanOrEqual(53);
    expect(weeks.length).toBeLessThanOrEqual(54);
  });
});
