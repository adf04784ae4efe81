import { evaluateRule, isStale, STALE_GROUPS, staleGroupOf, staleGroupRule, staleRule, type Rule, type StaleGroup } from './segments';
import type { OfficeRow } from './types';

const row = (overrides: Partial<OfficeRow> = {}): OfficeRow => ({
  AccountId: 'FAB',
  AccountName: 'Fabrikam',
  EngagementScore: 55,
  NoOfEmails_ToAccount: 4,
  NoOfEmails_FromAccount: 2,
  NoOfMeetings_FromAccount: 0,
  NoOfMeetings_ToAccount: 1,
  NoOfContactsInvolved_Meetings: 1,
  NoOfContactsInvolved_Emails: 2,
  NoOfAccountContactsInvolved_Meetings: 1,
  NoOfAccountContactsInvolved_Emails: 2,
  EngagementStartdate: '2025-03-01T10:00:00.000Z',
  DaysSinceLastemail: 10,
  DaysSinceLastMeeting: null,
  AverageDuration_Of_Meetings: 30,
  AverageDuration_Of_AccountEmailReplies: null,
  AggregationStartdate: '2025-01-15T00:00:00.000Z',
  AggregationLevel: 'year',
  LastInboundDate: null,
  LastOutboundDate: '2026-01-05T10:00:00.000Z',
  NextMeetingDate: null,
  EngagementBand: 'Medium',
  EngagementScoreChange: null,
  ...overrides,
});
const cond = (column: string, operator: string, value?: string | number): Rule => ({ kind: 'condition', column, operator, value }) as Rule;

describe('evaluateRule: conditions', () => {
  it.each([
    [cond('EngagementScore', '>', 50), true],
    [cond('EngagementScore', '>', 55), false],
    [cond('EngagementScore', '>=', 55), true],
    [cond('EngagementScore', '<', '60'), true],
    [cond('EngagementScore', '<=', 54), false],
    [cond('EngagementScore', '=', 55), true],
    [cond('EngagementScore', '!=', 55), false],
    [cond('EngagementBand', '=', 'medium'), true],
    [cond('AccountName', '!=', 'Northwind'), true],
    [cond('DaysSinceLastMeeting', 'isEmpty'), true],
    [cond('DaysSinceLastMeeting', 'isNotEmpty'), false],
    [cond('DaysSinceLastMeeting', '>', 5), false],
    [cond('DaysSinceLastMeeting', '<', 5), false],
    [cond('DaysSinceLastMeeting', '!=', 5), true],
    [cond('EngagementStartdate', '>=', '2025-03-01'), true],
    [cond('EngagementStartdate', '<', '2025-03-01T09:00:00Z'), false],
    [cond('LastInboundDate', '<', '2030-01-01'), false],
    [cond('EngagementScore', '>', 'abc'), false],
  ])('when the condition is %j, then it is %s', (rule, expected) => {
    expect(evaluateRule(rule, row())).toBe(expected);
  });
});

describe('evaluateRule: groups', () => {
  const high = cond('EngagementScore', '>=', 70);
  const emails = cond('NoOfEmails_ToAccount', '>', 3);
  it.each([
    [{ kind: 'group', op: 'and', children: [high, emails] }, false],
    [{ kind: 'group', op: 'or', children: [high, emails] }, true],
    [{ kind: 'group', op: 'and', children: [] }, true],
    [{ kind: 'group', op: 'or', children: [] }, false],
    [{ kind: 'group', op: 'and', children: [emails, { kind: 'group', op: 'or', children: [high, cond('AccountId', '=', 'FAB')] }] }, true],
  ] as [Rule, boolean][])('when the group is %j, then it is %s', (rule, expected) => {
    expect(evaluateRule(rule, row())).toBe(expected);
  });
});

describe('isStale and staleRule', () => {
  const rules = { staleDays: 60, upcomingMeetingSuppressesStale: true };
  it.each([
    [{ DaysSinceLastemail: 61, DaysSinceLastMeeting: 61 }, rules, true],
    [{ DaysSinceLastemail: 60, DaysSinceLastMeeting: 61 }, rules, false],
    [{ DaysSinceLastemail: 61, DaysSinceLastMeeting: 60 }, rules, false],
    [{ DaysSinceLastemail: null, DaysSinceLastMeeting: null }, rules, true],
    [{ DaysSinceLastemail: null, DaysSinceLastMeeting: 10 }, rules, false],
    [{ DaysSinceLastemail: 100, DaysSinceLastMeeting: null, NextMeetingDate: '2026-02-01T09:00:00.000Z' }, rules, false],
    [{ DaysSinceLastemail: 100, DaysSinceLastMeeting: null, NextMeetingDate: '2026-02-01T09:00:00.000Z' }, { ...rules, upcomingMeetingSuppressesStale: false }, true],
    [{ DaysSinceLastemail: 31, DaysSinceLastMeeting: 31 }, { ...rules, staleDays: 30 }, true],
  ])('when the row has %j and the rules are %j, then stale is %s', (overrides, r, expected) => {
    expect(isStale(row(overrides), r)).toBe(expected);
    expect(evaluateRule(staleRule(r), row(overrides))).toBe(expected);
  });
});

describe('staleGroupOf and staleGroupRule: "gone quiet" and "never contacted" inside the stale set', () => {
  const rules = { staleDays: 60, upcomingMeetingSuppressesStale: true };
  const meeting = '2026-02-01T09:00:00.000Z';
  it.each<[string, StaleGroup | null, Partial<OfficeRow>, typeof rules]>([
    ['both over the threshold', 'goneQuiet', { DaysSinceLastemail: 61, DaysSinceLastMeeting: 90 }, rules],
    ['an old email, never a meeting', 'goneQuiet', { DaysSinceLastemail: 200, DaysSinceLastMeeting: null }, rules],
    ['an old meeting, never an email', 'goneQuiet', { DaysSinceLastemail: null, DaysSinceLastMeeting: 61 }, rules],
    ['no email and no meeting ever', 'neverContacted', { DaysSinceLastemail: null, DaysSinceLastMeeting: null }, rules],
    ['never contacted but a meeting is planned', null, { DaysSinceLastemail: null, DaysSinceLastMeeting: null, NextMeetingDate: meeting }, rules],
    [
      'never contacted, a meeting planned, suppression off',
      'neverContacted',
      { DaysSinceLastemail: null, DaysSinceLastMeeting: null, NextMeetingDate: meeting },
      { ...rules, upcomingMeetingSuppressesStale: false },
    ],
    ['an email exactly at the threshold', null, { DaysSinceLastemail: 60, DaysSinceLastMeeting: null }, rules],
    ['a recent meeting', null, { DaysSinceLastemail: null, DaysSinceLastMeeting: 3 }, rules],
    ['a lower threshold', 'goneQuiet', { DaysSinceLastemail: 31, DaysSinceLastMeeting: 45 }, { ...rules, staleDays: 30 }],
  ])('when %s, then the group is %s', (_, expected, overrides, r) => {
    const subject = row(overrides);
    expect(staleGroupOf(subject, r)).toBe(expected);
    // The rules select exactly that group, and the groups split the stale set without overlap.
    for (const group of STALE_GROUPS) expect(evaluateRule(staleGroupRule(group, r), subject)).toBe(group === expected);
    expect(isStale(subject, r)).toBe(expected !== null);
  });
});
