/**
 * Rows, buckets, account-level columns, scores and totals (DESIGN.md §3 "Account-level
 * columns" and §4). T = 2026-01-15T12:00Z, W starts 2025-01-15T00:00Z.
 */
import { ALICE, BOB, evt, msg, rowsOf, run, W_START, yearRow } from './__tests__/builders';
import { collectedTimeline, replyChain, timelineFromEntries } from './day-cells';

describe('rows at each level', () => {
  it('when nothing happened, then every account still has exactly one year row with zeros and nulls', () => {
    // Act
    const results = run({});
    // Assert
    expect(results.rows.map((r) => `${r.AccountId}/${r.AggregationLevel}`)).toEqual([
      'FAB/year',
      'IDLE/year',
      'LIT1/year',
      'LIT2/year',
      'NW/year',
    ]);
    expect(yearRow(results, 'IDLE')).toEqual({
      AccountId: 'IDLE',
      AccountName: 'Idle Corp',
      EngagementScore: 0,
      NoOfEmails_ToAccount: 0,
      NoOfEmails_FromAccount: 0,
      NoOfMeetings_FromAccount: 0,
      NoOfMeetings_ToAccount: 0,
      NoOfContactsInvolved_Meetings: 0,
      NoOfContactsInvolved_Emails: 0,
      NoOfAccountContactsInvolved_Meetings: 0,
      NoOfAccountContactsInvolved_Emails: 0,
      EngagementStartdate: null,
      DaysSinceLastemail: null,
      DaysSinceLastMeeting: null,
      AverageDuration_Of_Meetings: null,
      AverageDuration_Of_AccountEmailReplies: null,
      AggregationStartdate: W_START,
      AggregationLevel: 'year',
      LastInboundDate: null,
      LastOutboundDate: null,
      NextMeetingDate: null,
      EngagementBand: 'Low',
      EngagementScoreChange: null,
    });
    expect(results.totals).toEqual({ accountsEnriched: 0, emailsProcessed: 0, meetingsProcessed: 0, daysCovered: 0 });
  });

  it('when emails fall on Mon 2025-12-29 and Fri 2026-01-02, then one ISO week row and two month rows follow', () => {
    // Arrange
    const data = {
      [ALICE.id]: {
        messages: [
          msg({ to: ['jane@fabrikam.com'], sent: '2025-12-29T10:00:00Z' }),
          msg({ from: 'jane@fabrikam.com', to: [ALICE.mail], sent: '2026-01-02T10:00:00Z' }),
        ],
      },
    };
    // Act
    const results = run(data);
    // Assert
    const months = rowsOf(results, 'FAB', 'month');
    expect(months.map((r) => [r.AggregationStartdate, r.NoOfEmails_ToAccount, r.NoOfEmails_FromAccount, r.DaysSinceLastemail])).toEqual([
      // December: E = 2026-01-01T00:00, last email 2025-12-29T10:00 → 2 days 14 h → 2.
      ['2025-12-01T00:00:00.000Z', 1, 0, 2],
      // January: E = T (clipped), last email 2026-01-02T10:00 → 13 days 2 h → 13.
      ['2026-01-01T00:00:00.000Z', 0, 1, 13],
    ]);
    const weeks = rowsOf(results, 'FAB', 'week');
    expect(weeks.map((r) => [r.AggregationStartdate, r.NoOfEmails_ToAccount, r.NoOfEmails_FromAccount, r.DaysSinceLastemail, r.EngagementStartdate])).toEqual([
      // Week of Monday 2025-12-29: E = 2026-01-05T00:00 → 2 days 14 h → 2.
      ['2025-12-29T00:00:00.000Z', 1, 1, 2, '2025-12-29T10:00:00.000Z'],
    ]);
    expect(weeks[0]).toMatchObject({ NextMeetingDate: null, LastInboundDate: '2026-01-02T10:00:00.000Z', LastOutboundDate: '2025-12-29T10:00:00.000Z' });
    expect(rowsOf(results, 'NW', 'month')).toEqual([]);
  });

  it('when several accounts and buckets exist, then rows are year, month, week, each sorted by account then bucket', () => {
    const data = {
      [ALICE.id]: {
        messages: [
          msg({ to: ['bob@northwind.com'], sent: '2025-11-03T10:00:00Z' }),
          msg({ to: ['jane@fabrikam.com'], sent: '2025-12-03T10:00:00Z' }),
          msg({ to: ['jane@fabrikam.com'], sent: '2025-10-03T10:00:00Z' }),
        ],
      },
    };
    const results = run(data);
    expect(results.rows.filter((r) => r.AggregationLevel !== 'year').map((r) => `${r.AggregationLevel} ${r.AccountId} ${r.AggregationStartdate.slice(0, 10)}`)).toEqual([
      'month FAB 2025-10-01',
      'month FAB 2025-12-01',
      'month NW 2025-11-01',
      'week FAB 2025-09-29',
      'week FAB 2025-12-01',
      'week NW 2025-11-03',
    ]);
  });

  it('when a month bucket starts before W, then only activity inside W counts in it', () => {
    const data = {
      [ALICE.id]: {
        messages: [msg({ to: ['jane@fabrikam.com'], sent: '2025-01-10T10:00:00Z' }), msg({ to: ['jane@fabrikam.com'], sent: '2025-01-20T10:00:00Z' })],
      },
    };
    expect(rowsOf(run(data), 'FAB', 'month').map((r) => [r.AggregationStartdate, r.NoOfEmails_ToAccount])).toEqual([['2025-01-01T00:00:00.000Z', 1]]);
  });
});

describe('account-level columns', () => {
  it('when an account has emails and meetings, then EngagementStartdate is the earliest of them and Last* dates follow direction', () => {
    const results = run({
      [ALICE.id]: {
        messages: [
          msg({ to: ['jane@fabrikam.com'], sent: '2025-06-10T10:00:00Z' }),
          msg({ from: 'jane@fabrikam.com', to: [ALICE.mail], sent: '2025-08-10T10:00:00Z' }),
        ],
        events: [
          evt({ attendees: [['jane@fabrikam.com']], start: '2025-05-01T09:00:00Z' }),
          evt({ organizer: 'jane@fabrikam.com', attendees: [[ALICE.mail]], start: '2025-09-01T09:00:00Z' }),
        ],
      },
    });
    expect(yearRow(results, 'FAB')).toMatchObject({
      EngagementStartdate: '2025-05-01T09:00:00.000Z',
      LastInboundDate: '2025-09-01T09:00:00.000Z',
      LastOutboundDate: '2025-06-10T10:00:00.000Z',
      NoOfEmails_ToAccount: 1,
      NoOfEmails_FromAccount: 1,
      NoOfMeetings_ToAccount: 1,
      NoOfMeetings_FromAccount: 1,
    });
  });

  it('when emails and meetings happen, then the totals count logical items, enriched accounts and days covered', () => {
    const results = run({
      [ALICE.id]: {
        messages: [
          msg({ imid: '<1@x>', to: ['jane@fabrikam.com', 'bob@northwind.com'], sent: '2025-06-10T10:00:00Z' }),
          msg({ to: [BOB.mail], sent: '2025-01-16T00:00:00Z' }), // internal only: not counted
        ],
        events: [evt({ ical: 'e', attendees: [['jane@fabrikam.com']], start: '2025-12-16T12:00:00Z' })],
      },
      [BOB.id]: {
        messages: [msg({ imid: '<1@x>', to: ['jane@fabrikam.com', 'bob@northwind.com'], sent: '2025-06-10T10:00:00Z' })],
        events: [evt({ ical: 'e', attendees: [['jane@fabrikam.com']], start: '2025-12-16T12:00:00Z' })],
      },
    });
    // earliest counted interaction 2025-06-10T10:00 → T − that = 219 days 2 h → ceil → 220.
    expect(results.totals).toEqual({ accountsEnriched: 2, emailsProcessed: 1, meetingsProcessed: 1, daysCovered: 220 });
  });
});

describe('scores', () => {
  it('when only one account is active, then its percentiles are 1 and its score is 90 + 10·reciprocity', () => {
    const results = run({
      [ALICE.id]: {
        messages: [
          msg({ to: ['jane@fabrikam.com'], sent: '2026-01-10T10:00:00Z' }),
          msg({ from: 'jane@fabrikam.com', to: [ALICE.mail], sent: '2026-01-11T10:00:00Z' }),
        ],
      },
    });
    expect(yearRow(results, 'FAB')).toMatchObject({ EngagementScore: 100, EngagementBand: 'High' });
    expect(yearRow(results, 'NW')).toMatchObject({ EngagementScore: 0, EngagementBand: 'Low' });
    expect(results.explanations.FAB).toMatchObject({
      score: 100,
      active: true,
      signals: {
        emails: { raw: 2, percentile: 1, weight: 0.3, points: 30 },
        meetings: { raw: 0, percentile: 1, weight: 0.3, points: 30 },
        breadth: { raw: 2, percentile: 1, weight: 0.15, points: 15 },
        recency: { raw: -4, percentile: 1, weight: 0.15, points: 15 },
        reciprocity: { raw: 1, percentile: null, weight: 0.1, points: 10 },
      },
    });
    expect(results.explanations.IDLE).toMatchObject({ score: 0, active: false, signals: null });
  });

  it('when two accounts are active, then percentiles split 0 and 1 on every differing signal', () => {
    // Meetings tie at 0 (pr .5 each) and breadth ties at 1 + 1 (pr .5 each); reciprocity is 0 for both.
    // FAB: 2 emails (pr 1), recency −4 (pr 1) → 100·(.3 + .15 + .075 + .15) = 67.5 → 68
    // NW: 1 email (pr 0), recency −14 (pr 0) → 100·(0 + .15 + .075 + 0) = 22.5 → 23 (not 22 from float noise)
    const results = run({
      [ALICE.id]: {
        messages: [
          msg({ to: ['jane@fabrikam.com'], sent: '2026-01-10T10:00:00Z' }),
          msg({ to: ['jane@fabrikam.com'], sent: '2026-01-11T10:00:00Z' }),
          msg({ to: ['bob@northwind.com'], sent: '2026-01-01T10:00:00Z' }),
        ],
      },
    });
    expect([yearRow(results, 'FAB').EngagementScore, yearRow(results, 'NW').EngagementScore]).toEqual([68, 23]);
    expect([yearRow(results, 'FAB').EngagementBand, yearRow(results, 'NW').EngagementBand]).toEqual(['Medium', 'Low']);
  });

  it('when month buckets are scored, then each month ranks only its own active accounts', () => {
    // December: only NW is active → 90 + 0; January: only FAB → 90 + 0.
    const results = run({
      [ALICE.id]: {
        messages: [msg({ to: ['bob@northwind.com'], sent: '2025-12-10T10:00:00Z' }), msg({ to: ['jane@fabrikam.com'], sent: '2026-01-10T10:00:00Z' })],
      },
    });
    expect(results.rows.filter((r) => r.AggregationLevel === 'month').map((r) => [r.AccountId, r.EngagementScore])).toEqual([
      ['FAB', 90],
      ['NW', 90],
    ]);
  });

  it('when previous scores are given, then the change is this score minus the previous one, and null without one', () => {
    const data = { [ALICE.id]: { messages: [msg({ to: ['jane@fabrikam.com'], sent: '2026-01-10T10:00:00Z' })] } };
    const previous = new Map([
      [`FAB|month|2026-01-01T00:00:00.000Z`, 70],
      // The previous run was a day earlier: its year bucket started a day earlier.
      [`FAB|year|2025-01-13T00:00:00.000Z`, 50],
      [`FAB|year|2025-01-14T00:00:00.000Z`, 60],
      [`NW|year|${W_START}`, 10],
    ]);
    const results = run(data, { previous });
    expect(yearRow(results, 'FAB').EngagementScoreChange).toBe(90 - 60);
    expect(yearRow(results, 'NW').EngagementScoreChange).toBe(0 - 10);
    expect(yearRow(results, 'IDLE').EngagementScoreChange).toBeNull();
    expect(rowsOf(results, 'FAB', 'month')[0].EngagementScoreChange).toBe(90 - 70);
    expect(rowsOf(results, 'FAB', 'week')[0].EngagementScoreChange).toBeNull();
    expect(results.explanations.FAB).toMatchObject({ previousScore: 60, change: 30 });
  });
});

describe('replyChain', () => {
  const enc = (iso: string, internal: boolean) => Date.parse(iso) * 2 + (internal ? 1 : 0);
  const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
  const R = Date.parse('2026-01-05T12:00:00Z');
  const W = day('2025-01-01');
  it.each([
    ['no timeline', undefined, []],
    ['nothing before R', [enc('2026-01-05T12:00:00Z', true)], []],
    ['an internal email 2 h before', [enc('2026-01-05T10:00:00Z', true)], [[day('2026-01-05'), 2 * 3_600_000]]],
    ['an external email after an internal one', [enc('2026-01-05T09:00:00Z', true), enc('2026-01-05T10:00:00Z', false)], [[day('2026-01-05'), null]]],
    ['an internal and an external email at the same instant', [enc('2026-01-05T10:00:00Z', false), enc('2026-01-05T10:00:00Z', true)], [[day('2026-01-05'), 2 * 3_600_000]]],
  ])('when every email stays collected and the conversation has %s, then the chain is %j', (_label, timeline, expected) => {
    expect(replyChain(timeline && collectedTimeline(timeline), R, W)).toEqual(expected);
  });

  it.each([
    [
      'P received before R: P counts until W passes its day, then nothing',
      [[enc('2026-01-02T10:00:00Z', true), day('2026-01-02')]],
      [[day('2026-01-02'), 74 * 3_600_000]],
    ],
    [
      'P leaves W before an older, later-received email: that one takes over',
      [
        [enc('2026-01-01T12:00:00Z', false), day('2026-01-04')],
        [enc('2026-01-02T12:00:00Z', true), day('2026-01-02')],
      ],
      [
        [day('2026-01-02'), 3 * 24 * 3_600_000],
        [day('2026-01-04'), null],
      ],
    ],
    [
      'an older email received earlier than P never becomes P',
      [
        [enc('2026-01-01T12:00:00Z', true), day('2026-01-01')],
        [enc('2026-01-02T12:00:00Z', true), day('2026-01-03')],
      ],
      [[day('2026-01-03'), 3 * 24 * 3_600_000]],
    ],
    ['an email already out of W is skipped', [[enc('2024-12-30T12:00:00Z', true), day('2024-12-30')]], []],
  ])('when %s', (_label, entries, expected) => {
    const timeline = timelineFromEntries(new Map(entries as [number, number][]));
    expect(replyChain(timeline, R, W)).toEqual(expected);
  });
});
