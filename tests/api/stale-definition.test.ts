/**
 * One stale definition (issue 16 §2). The API's `isStale`/`staleRule` (engagement/segments.ts)
 * feed the overview, the built-in segments and the customer card. The bot cannot import the API
 * (packages with front doors), so bot/src/notifications/stale.ts keeps its own `isStale` over the
 * same configured rules (EngagementPort.staleRule); this table holds the two to the same answers,
 * hidden rows included. The settings page's defaults are checked against the API's here too.
 */
import { DEFAULT_RULES } from '../../api/src/contract/config';
import { evaluateRuleAsViewed, isStaleAsViewed, type OfficeRowView } from '../../api/src/engagement/row-privacy';
import { staleGroupOf, staleRule } from '../../api/src/engagement/segments';
import type { OfficeRow } from '../../api/src/engagement/types';
import { isStale as botIsStale } from '../../bot/src/notifications/stale';
import { DEFAULT_STALE_DAYS, DEFAULT_WEIGHTS, MAX_MINIMUM_COLLEAGUES } from '../../tabs/src/features/settings/components/rules-draft';
import { MAX_MINIMUM_COLLEAGUES as API_MAX_MINIMUM_COLLEAGUES } from '../../api/src/engagement/row-privacy';

const base = {
  AccountId: 'A',
  AccountName: 'Fabrikam',
  EngagementScore: 10,
  EngagementBand: 'Low',
  EngagementScoreChange: null,
  NoOfEmails_ToAccount: 0,
  NoOfEmails_FromAccount: 0,
  NoOfMeetings_ToAccount: 0,
  NoOfMeetings_FromAccount: 0,
  DaysSinceLastemail: null,
  DaysSinceLastMeeting: null,
  LastInboundDate: null,
  LastOutboundDate: null,
  NextMeetingDate: null,
} as const;
const row = (overrides: Record<string, unknown>) => ({ ...base, ...overrides }) as unknown as OfficeRowView;

const ROWS: [string, Record<string, unknown>][] = [
  ['never contacted', {}],
  ['quiet for 90 and 100 days', { DaysSinceLastemail: 90, DaysSinceLastMeeting: 100 }],
  ['an email 61 days ago, never a meeting', { DaysSinceLastemail: 61 }],
  ['an email exactly at the threshold', { DaysSinceLastemail: 60 }],
  ['a recent meeting', { DaysSinceLastMeeting: 5 }],
  ['quiet, with a meeting planned', { DaysSinceLastemail: 90, NextMeetingDate: '2026-04-01T09:00:00.000Z' }],
  ['hidden by the privacy threshold', { privacy: { hidden: true, minimumColleagues: 3 } }],
];
const RULES = [
  { staleDays: 60, upcomingMeetingSuppressesStale: true },
  { staleDays: 60, upcomingMeetingSuppressesStale: false },
  { staleDays: 20, upcomingMeetingSuppressesStale: true },
];

describe('one stale definition', () => {
  it.each(RULES.flatMap((rules) => ROWS.map(([name, overrides]) => [name, rules, overrides] as const)))(
    'when the row is %s and the rules are %j, then the API, its rule tree and the bot agree',
    (_, rules, overrides) => {
      const viewed = row(overrides);
      const api = isStaleAsViewed(viewed, rules);
      expect(evaluateRuleAsViewed(staleRule(rules), viewed)).toBe(api);
      expect(botIsStale(viewed as never, rules)).toBe(api);
      // The groups split exactly the stale set.
      const hidden = 'privacy' in overrides;
      expect(!hidden && staleGroupOf(viewed as OfficeRow, rules) !== null).toBe(api);
    },
  );
});

describe('the settings page defaults', () => {
  it('when the tab resets to defaults, then they are the API defaults', () => {
    expect(DEFAULT_STALE_DAYS).toBe(DEFAULT_RULES.staleDays);
    expect(DEFAULT_WEIGHTS).toEqual(DEFAULT_RULES.weights);
    expect(MAX_MINIMUM_COLLEAGUES).toBe(API_MAX_MINIMUM_COLLEAGUES);
  });
});
