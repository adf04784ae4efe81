import { computeMeasure } from './measures';
import {
  ACTIVITY_COLUMNS,
  colleaguesInvolved,
  evaluateRuleAsViewed,
  isBelowThreshold,
  isHidden,
  isStaleAsViewed,
  KEPT_COLUMNS,
  redactRow,
  type OfficeRowView,
} from './row-privacy';
import { evaluateRule, staleRule, type Rule } from './segments';
import { OFFICE_COLUMNS, type OfficeRow } from './types';

const row = (overrides: Partial<OfficeRow> = {}): OfficeRow => ({
  AccountId: 'FAB',
  AccountName: 'Fabrikam',
  EngagementScore: 55,
  NoOfEmails_ToAccount: 4,
  NoOfEmails_FromAccount: 2,
  NoOfMeetings_FromAccount: 0,
  NoOfMeetings_ToAccount: 1,
  NoOfContactsInvolved_Meetings: 1,
  NoOfContactsInvolved_Emails: 1,
  NoOfAccountContactsInvolved_Meetings: 1,
  NoOfAccountContactsInvolved_Emails: 2,
  EngagementStartdate: '2025-03-01T10:00:00.000Z',
  DaysSinceLastemail: 80,
  DaysSinceLastMeeting: 90,
  AverageDuration_Of_Meetings: 30,
  AverageDuration_Of_AccountEmailReplies: 4.5,
  AggregationStartdate: '2025-01-15T00:00:00.000Z',
  AggregationLevel: 'year',
  LastInboundDate: '2025-12-01T10:00:00.000Z',
  LastOutboundDate: '2026-01-05T10:00:00.000Z',
  NextMeetingDate: null,
  EngagementBand: 'Medium',
  EngagementScoreChange: -3,
  ...overrides,
});
const colleagues = (emails: number, meetings: number): Partial<OfficeRow> => ({ NoOfContactsInvolved_Emails: emails, NoOfContactsInvolved_Meetings: meetings });
const cond = (column: string, operator: string, value?: string | number): Rule => ({ kind: 'condition', column, operator, value }) as Rule;
const group = (op: 'and' | 'or', ...children: Rule[]): Rule => ({ kind: 'group', op, children }) as Rule;

describe('the columns a hidden row keeps', () => {
  it('when the columns are split, then every Office column is either kept or per-activity, never both', () => {
    expect([...KEPT_COLUMNS, ...ACTIVITY_COLUMNS].sort()).toEqual([...OFFICE_COLUMNS].sort());
    expect(KEPT_COLUMNS).toEqual(['AccountId', 'AccountName', 'EngagementScore', 'EngagementBand', 'EngagementScoreChange', 'AggregationStartdate', 'AggregationLevel']);
  });
});

describe('colleaguesInvolved and isBelowThreshold', () => {
  it.each([
    // emails, meetings, counted, threshold, hidden
    [0, 0, 0, 1, false],
    [1, 0, 1, 1, false],
    [0, 0, 0, 2, true],
    [1, 0, 1, 2, true],
    [0, 1, 1, 2, true],
    // One colleague by email and another in meetings: the union may be 2, the row tells 1, so it is hidden.
    [1, 1, 1, 2, true],
    [2, 0, 2, 2, false],
    [1, 2, 2, 2, false],
    [2, 2, 2, 3, true],
    [5, 3, 5, 3, false],
    [0, 0, 0, 0, false],
  ])('when %i colleagues write and %i meet, then %i are counted and threshold %i hides it: %s', (emails, meetings, counted, threshold, hidden) => {
    const r = row(colleagues(emails, meetings));
    expect(colleaguesInvolved(r)).toBe(counted);
    expect(isBelowThreshold(r, threshold)).toBe(hidden);
  });
});

describe('redactRow', () => {
  it('when the threshold is 1 (the default), then every row comes back unchanged, even one with no colleague', () => {
    for (const r of [row(), row(colleagues(0, 0)), row(colleagues(7, 2))]) {
      expect(redactRow(r, 1)).toBe(r);
    }
  });

  it('when the row has enough colleagues, then it comes back unchanged and without a privacy field', () => {
    const r = row(colleagues(2, 1));
    const viewed = redactRow(r, 2);
    expect(viewed).toBe(r);
    expect(viewed).not.toHaveProperty('privacy');
    expect(isHidden(viewed)).toBe(false);
  });

  it('when the row has too few colleagues, then the kept columns stay, every activity column is null, and privacy says why', () => {
    const r = row(colleagues(1, 1));
    const viewed = redactRow(r, 3);
    expect(viewed).toEqual({
      AccountId: 'FAB',
      AccountName: 'Fabrikam',
      EngagementScore: 55,
      EngagementBand: 'Medium',
      EngagementScoreChange: -3,
      AggregationStartdate: '2025-01-15T00:00:00.000Z',
      AggregationLevel: 'year',
      ...Object.fromEntries(ACTIVITY_COLUMNS.map((c) => [c, null])),
      privacy: { hidden: true, minimumColleagues: 3 },
    });
    expect(isHidden(viewed)).toBe(true);
    // The stored row is not touched.
    expect(r.DaysSinceLastemail).toBe(80);
  });

  it('when hidden, then the row keeps the shape of a row: the same keys plus privacy', () => {
    expect(Object.keys(redactRow(row(), 2)).sort()).toEqual([...OFFICE_COLUMNS, 'privacy'].sort());
  });
});

describe('evaluateRuleAsViewed', () => {
  const hidden = redactRow(row({ EngagementBand: 'High', DaysSinceLastemail: 1 }), 2);
  const visible: OfficeRowView = row({ ...colleagues(3, 0), DaysSinceLastemail: 1 });

  it.each([
    // A hidden value never decides membership, whatever the operator.
    ['a comparison on a hidden column', cond('DaysSinceLastemail', '<', 3), false, true],
    ['isEmpty on a hidden column', cond('DaysSinceLastemail', 'isEmpty'), false, false],
    ['isNotEmpty on a hidden column', cond('DaysSinceLastemail', 'isNotEmpty'), false, true],
    ['!= on a hidden column', cond('NoOfEmails_ToAccount', '!=', 999), false, true],
    ['a date on a hidden column', cond('LastOutboundDate', '>', '2025-01-01'), false, true],
    // Kept columns work as usual.
    ['a condition on the band', cond('EngagementBand', '=', 'High'), true, false],
    ['a condition on the score', cond('EngagementScore', '>=', 55), true, true],
    ['an or of a hidden and a kept column', group('or', cond('DaysSinceLastemail', '<', 3), cond('EngagementBand', '=', 'High')), true, true],
    ['an and of a hidden and a kept column', group('and', cond('DaysSinceLastemail', '<', 3), cond('EngagementBand', '=', 'High')), false, false],
    ['an empty and group', group('and'), true, true],
  ])('when the rule is %s, then a hidden row matches %s and a visible one %s', (_label, rule, hiddenMatches, visibleMatches) => {
    expect(evaluateRuleAsViewed(rule, hidden)).toBe(hiddenMatches);
    expect(evaluateRuleAsViewed(rule, visible)).toBe(visibleMatches);
  });

  it('when a row is visible, then the answer is evaluateRule’s for every rule of the table', () => {
    const rules = [cond('DaysSinceLastemail', 'isEmpty'), cond('DaysSinceLastMeeting', '>', 60), staleRule({ staleDays: 60, upcomingMeetingSuppressesStale: true })];
    for (const rule of rules) expect(evaluateRuleAsViewed(rule, visible)).toBe(evaluateRule(rule, visible as OfficeRow));
  });
});

describe('isStaleAsViewed', () => {
  const rules = { staleDays: 60, upcomingMeetingSuppressesStale: true };

  it.each([
    ['a visible quiet row', true, row({ ...colleagues(2, 2), DaysSinceLastemail: 80, DaysSinceLastMeeting: 90 }), 2],
    ['a visible active row', false, row({ ...colleagues(2, 2), DaysSinceLastemail: 3 }), 2],
    ['a hidden quiet row', false, row({ DaysSinceLastemail: 80, DaysSinceLastMeeting: 90 }), 2],
    ['a hidden row with no activity at all (null would read as never)', false, row({ ...colleagues(0, 0), DaysSinceLastemail: null, DaysSinceLastMeeting: null }), 2],
    ['a quiet row under threshold 1', true, row({ DaysSinceLastemail: 80, DaysSinceLastMeeting: 90 }), 1],
  ])('when the row is %s, then stale is %s', (_label, stale, r, threshold) => {
    const viewed = redactRow(r, threshold);
    expect(isStaleAsViewed(viewed, rules)).toBe(stale);
    // The built-in stale segment agrees with the flag.
    expect(evaluateRuleAsViewed(staleRule(rules), viewed)).toBe(stale);
  });
});

describe('measures over viewed rows', () => {
  it('when some rows are hidden, then their values count for nothing and count without a column still counts them', () => {
    const rows = [row({ ...colleagues(2, 0), NoOfEmails_ToAccount: 10 }), row({ NoOfEmails_ToAccount: 7 })].map((r) => redactRow(r, 2));
    expect(computeMeasure(rows, { fn: 'sum', column: 'NoOfEmails_ToAccount' })).toBe(10);
    expect(computeMeasure(rows, { fn: 'max', column: 'NoOfEmails_ToAccount' })).toBe(10);
    expect(computeMeasure(rows, { fn: 'count', column: 'NoOfEmails_ToAccount' })).toBe(1);
    expect(computeMeasure(rows, { fn: 'count', column: 'AccountId' })).toBe(2);
    expect(computeMeasure(rows, { fn: 'avg', column: 'EngagementScore' })).toBe(55);
  });
});
