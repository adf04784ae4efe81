/**
 * DESIGN.md §3 "Meetings", rule by rule. T = 2026-01-15T12:00Z.
 */
import { ALICE, BOB, CAROL, evt, run, yearRow, type MailboxData } from './__tests__/builders';

const PAST = '2026-01-12T09:00:00Z'; // 3 days and 3 hours before T

describe('meetings: participants and involvement', () => {
  it('when Alice meets Jane with Bob, a room and a declining Carol, then only real, non-declined participants count', () => {
    // Arrange: the organizer's copy shows every answer; Bob's and Carol's copies show the others as none.
    const attendees = (statuses: [string, string, string]): [string, string?, string?][] => [
      ['jane@fabrikam.com', statuses[0]],
      [BOB.mail, statuses[1]],
      ['room-1@fabrikam.com', 'accepted', 'resource'],
      [CAROL.mail, statuses[2]],
    ];
    const copy = (id: string, response: string, statuses: [string, string, string]) =>
      evt({ id, ical: 'ical-1', organizer: ALICE.mail, response, attendees: attendees(statuses), start: PAST, minutes: 30 });
    // Act
    const results = run({
      [ALICE.id]: { events: [copy('a', 'organizer', ['accepted', 'accepted', 'declined'])] },
      [BOB.id]: { events: [copy('b', 'accepted', ['none', 'none', 'none'])] },
      [CAROL.id]: { events: [copy('c', 'declined', ['none', 'none', 'none'])] },
    });
    // Assert
    expect(yearRow(results, 'FAB')).toMatchObject({
      NoOfMeetings_ToAccount: 1,
      NoOfMeetings_FromAccount: 0,
      NoOfContactsInvolved_Meetings: 2,
      NoOfAccountContactsInvolved_Meetings: 1,
      DaysSinceLastMeeting: 3,
      AverageDuration_Of_Meetings: 30,
      LastOutboundDate: '2026-01-12T09:00:00.000Z',
    });
    expect(results.totals.meetingsProcessed).toBe(1);
  });

  it('when the only customer attendee declined, then the meeting does not count for the account', () => {
    const m = evt({ attendees: [['jane@fabrikam.com', 'declined'], [BOB.mail]], start: PAST });
    expect(yearRow(run({ [ALICE.id]: { events: [m] } }), 'FAB').NoOfMeetings_ToAccount).toBe(0);
  });

  it('when the only customer attendee is a resource (a room on the customer’s domain), then it does not count', () => {
    const m = evt({ attendees: [['room@fabrikam.com', 'accepted', 'resource'], [BOB.mail]], start: PAST });
    expect(yearRow(run({ [ALICE.id]: { events: [m] } }), 'FAB').NoOfMeetings_ToAccount).toBe(0);
  });

  /**
   * DESIGN.md §3 "Responses: which copy to believe". Alice organises with Jane (Fabrikam), Bob and
   * Carol. Each case lists the copies collected: holder → [its own responseStatus, the statuses it
   * shows for Jane, Bob, Carol]. Every case runs with the copies in both orders.
   */
  const A = 'accepted';
  const D = 'declined';
  const N = 'none';
  type Copies = Partial<Record<'alice' | 'bob' | 'carol', [string, string, string, string]>>;
  it.each<[string, Copies, { meetings: number; members: number }]>([
    ["the organizer's copy says Jane declined, Bob's copy shows none", { alice: ['organizer', D, A, A], bob: [A, N, N, N] }, { meetings: 0, members: 0 }],
    ["only an attendee's copy says Jane declined", { alice: ['organizer', A, A, A], bob: [A, D, N, N] }, { meetings: 1, members: 3 }],
    ['Carol declined and kept her copy', { alice: ['organizer', A, A, D], bob: [A, N, N, N], carol: [D, N, N, N] }, { meetings: 1, members: 2 }],
    ['Carol declined and deleted her copy', { alice: ['organizer', A, A, D], bob: [A, N, N, N] }, { meetings: 1, members: 2 }],
    ["Carol's own copy says accepted, the organizer's copy still says declined", { alice: ['organizer', A, A, D], carol: [A, N, N, N] }, { meetings: 1, members: 3 }],
    ["Carol's own copy says declined, the organizer's copy says accepted", { alice: ['organizer', A, A, A], carol: [D, N, N, N] }, { meetings: 1, members: 2 }],
    ["no organizer's copy: Bob's copy shows Carol as declined, Bob accepted", { bob: [A, N, N, D] }, { meetings: 1, members: 3 }],
    ["no organizer's copy: Bob declined his own copy", { bob: [D, N, N, N] }, { meetings: 1, members: 2 }],
    ["the organizer's copy lists Bob as declined, Bob holds none", { alice: ['organizer', A, D, A] }, { meetings: 1, members: 2 }],
  ])('when %s, then responses come from the right copy', (_label, copies, expected) => {
    const holders = { alice: ALICE, bob: BOB, carol: CAROL } as const;
    const data = Object.entries(copies).map(([holder, [response, jane, bob, carol]]): [string, MailboxData] => [
      holders[holder as keyof typeof holders].id,
      { events: [evt({ ical: 'resp', organizer: ALICE.mail, response, attendees: [['jane@fabrikam.com', jane], [BOB.mail, bob], [CAROL.mail, carol]], start: PAST })] },
    ]);
    for (const ordered of [data, [...data].reverse()]) {
      const row = yearRow(run(Object.fromEntries(ordered)), 'FAB');
      expect({ meetings: row.NoOfMeetings_ToAccount, members: row.NoOfContactsInvolved_Meetings }).toEqual(expected);
    }
  });

  it('when a customer organises and only attendee copies exist, then only a holder can be seen to decline', () => {
    const copy = (response: string) =>
      evt({ ical: 'cust', organizer: 'jane@fabrikam.com', response, attendees: [[ALICE.mail, 'none'], [BOB.mail, 'declined'], [CAROL.mail, 'none']], start: PAST });
    const results = run({ [BOB.id]: { events: [copy('accepted')] }, [CAROL.id]: { events: [copy('declined')] } });
    // Alice holds no copy and nobody's copy can tell her answer; Bob accepted; Carol declined her own.
    expect(yearRow(results, 'FAB')).toMatchObject({ NoOfMeetings_FromAccount: 1, NoOfContactsInvolved_Meetings: 2 });
  });

  it('when a member is invited through a group (not on the attendee list), then holding the meeting counts as not declined', () => {
    const copy = () => evt({ ical: 'g', attendees: [['jane@fabrikam.com'], ['team@contoso.com']], start: PAST });
    const results = run({ [ALICE.id]: { events: [copy()] }, [CAROL.id]: { events: [copy()] } });
    expect(yearRow(results, 'FAB').NoOfContactsInvolved_Meetings).toBe(2);
  });

  it('when Jane organises a meeting with Alice and Bob, then it counts as from Fabrikam only', () => {
    const m = evt({ organizer: 'jane@fabrikam.com', attendees: [[ALICE.mail], [BOB.mail], ['bob@northwind.com']], start: PAST });
    const results = run({ [ALICE.id]: { events: [m] } });
    expect(yearRow(results, 'FAB')).toMatchObject({
      NoOfMeetings_FromAccount: 1,
      NoOfMeetings_ToAccount: 0,
      NoOfContactsInvolved_Meetings: 2,
      NoOfAccountContactsInvolved_Meetings: 1,
      LastInboundDate: '2026-01-12T09:00:00.000Z',
    });
    expect(yearRow(results, 'NW').NoOfMeetings_ToAccount + yearRow(results, 'NW').NoOfMeetings_FromAccount).toBe(0);
  });

  it('when an internal meeting has two customer accounts, then it counts once for each', () => {
    const m = evt({ attendees: [['jane@fabrikam.com'], ['bob@northwind.com']], start: PAST });
    const results = run({ [ALICE.id]: { events: [m] } });
    expect([yearRow(results, 'FAB').NoOfMeetings_ToAccount, yearRow(results, 'NW').NoOfMeetings_ToAccount]).toEqual([1, 1]);
    expect(results.totals.meetingsProcessed).toBe(1);
  });
});

describe('meetings: exclusions and logical meetings', () => {
  it.each([
    ['cancelled', { cancelled: true }, 0],
    ['all-day', { allDay: true }, 0],
    ['organised by an automated address', { organizer: 'noreply@contoso.com' }, 0],
    ['organised by an unmatched outsider', { organizer: 'someone@adatum.com' }, 0],
    ['a plain single instance', {}, 1],
  ])('when the meeting is %s, then it counts %d times', (_label, extra, expected) => {
    const m = evt({ attendees: [['jane@fabrikam.com'], [ALICE.mail]], start: PAST, ...extra });
    const row = yearRow(run({ [ALICE.id]: { events: [m] } }), 'FAB');
    expect(row.NoOfMeetings_ToAccount + row.NoOfMeetings_FromAccount).toBe(expected);
  });

  it('when two calendars hold the same iCalUId, then the meeting counts once', () => {
    const copy = (id: string) => evt({ id, ical: 'same', attendees: [['jane@fabrikam.com'], [BOB.mail]], start: PAST });
    expect(yearRow(run({ [ALICE.id]: { events: [copy('a')] }, [BOB.id]: { events: [copy('b')] } }), 'FAB').NoOfMeetings_ToAccount).toBe(1);
  });

  it('when two occurrences of a series (each with its own iCalUId) are in two calendars, then each occurrence counts once', () => {
    const occurrence = (ical: string, start: string, id: string) =>
      evt({ id, ical, type: 'occurrence', attendees: [['jane@fabrikam.com'], [BOB.mail]], start });
    const results = run({
      [ALICE.id]: { events: [occurrence('occ-1', '2026-01-05T09:00:00Z', 'a1'), occurrence('occ-2', '2026-01-12T09:00:00Z', 'a2')] },
      [BOB.id]: { events: [occurrence('occ-1', '2026-01-05T09:00:00Z', 'b1'), occurrence('occ-2', '2026-01-12T09:00:00Z', 'b2')] },
    });
    expect(yearRow(results, 'FAB').NoOfMeetings_ToAccount).toBe(2);
  });

  it('when the calendar returns a series master, then it is ignored (only instances count)', () => {
    const m = evt({ type: 'seriesMaster', attendees: [['jane@fabrikam.com']], start: PAST });
    expect(yearRow(run({ [ALICE.id]: { events: [m] } }), 'FAB').NoOfMeetings_ToAccount).toBe(0);
  });
});

describe('meetings: time', () => {
  it('when meetings last 30 and 45 minutes, then AverageDuration_Of_Meetings is 37.5', () => {
    const results = run({
      [ALICE.id]: {
        events: [
          evt({ attendees: [['jane@fabrikam.com']], start: '2026-01-05T09:00:00Z', minutes: 30 }),
          evt({ attendees: [['jane@fabrikam.com']], start: '2026-01-06T09:00:00Z', minutes: 45 }),
        ],
      },
    });
    expect(yearRow(results, 'FAB')).toMatchObject({ AverageDuration_Of_Meetings: 37.5, DaysSinceLastMeeting: 9 });
  });

  it.each([
    ['one ms before the start of W', '2025-01-14T23:59:59.999Z', 0, null],
    ['exactly at the start of W', '2025-01-15T00:00:00.000Z', 1, null],
    ['exactly at T (upcoming, not past)', '2026-01-15T12:00:00.000Z', 0, '2026-01-15T12:00:00.000Z'],
    ['89 days after T', '2026-04-14T12:00:00.000Z', 0, '2026-04-14T12:00:00.000Z'],
    ['exactly 90 days after T', '2026-04-15T12:00:00.000Z', 0, null],
  ])('when the meeting starts %s, then it counts %d past meetings and NextMeetingDate is %s', (_label, start, past, next) => {
    const results = run({ [ALICE.id]: { events: [evt({ attendees: [['jane@fabrikam.com']], start })] } });
    expect(yearRow(results, 'FAB')).toMatchObject({ NoOfMeetings_ToAccount: past, NextMeetingDate: next });
  });

  it('when an account has only an upcoming meeting, then it is not enriched and scores 0, but shows the next meeting', () => {
    const results = run({ [ALICE.id]: { events: [evt({ attendees: [['jane@fabrikam.com']], start: '2026-02-01T09:00:00Z' })] } });
    expect(yearRow(results, 'FAB')).toMatchObject({ EngagementScore: 0, NextMeetingDate: '2026-02-01T09:00:00.000Z', EngagementStartdate: null });
    expect(results.totals).toMatchObject({ accountsEnriched: 0, meetingsProcessed: 0 });
    expect(results.rows.filter((r) => r.AggregationLevel !== 'year')).toEqual([]);
  });

  it('when several upcoming meetings exist, then NextMeetingDate is the earliest', () => {
    const results = run({
      [ALICE.id]: {
        events: [
          evt({ attendees: [['jane@fabrikam.com']], start: '2026-03-01T09:00:00Z' }),
          evt({ attendees: [['jane@fabrikam.com']], start: '2026-02-01T09:00:00Z' }),
        ],
      },
    });
    expect(yearRow(results, 'FAB').NextMeetingDate).toBe('2026-02-01T09:00:00.000Z');
  });
});
