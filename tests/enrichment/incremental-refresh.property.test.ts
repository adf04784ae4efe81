/**
 * DESIGN.md §5: "A refresh must give exactly the same results as a full recompute over the same
 * data." Random tenants grow over time (mail arrives, meetings are created, cancelled, declined),
 * with what real mailboxes also list (DESIGN.md §3, §6): meeting messages for every invitation,
 * response and cancellation, Teams chats in a hidden folder, attendee copies that show the others
 * as `none`, decliners who delete their copy;
 * a data directory is refreshed at random run times, S changes between runs (mailboxes added and
 * removed), and after the last refresh the Office rows equal a full recompute at that time.
 *
 * The source is an in-memory ActivitySource with Graph's range semantics (messages by
 * receivedDateTime, calendar instances by start), serving the tenant as it was at the run time.
 */
import fc from 'fast-check';
import { defaultRules } from '../../api/src/engagement';
import type { GraphEvent, GraphMessage, SelectedMailbox } from '../../api/src/engagement/types';
import type { ActivitySource, FolderScan, MailboxAccess, MailboxResolution, SourceStats } from '../../api/src/enrichment/ports';
import { MemoryRunStateStore } from '../../api/src/enrichment/run-state';
import { runEnrichment, scoresOf } from '../../api/src/enrichment/run-enrichment';

const DAY = 86_400_000;
const T0 = Date.parse('2026-03-01T00:00:00Z');
const USERS = ['u0', 'u1', 'u2', 'u3'];
const mailOf = (u: string) => `${u}@contoso.com`;
const CONTACTS = ['jane@fabrikam.com', 'joe@eu.fabrikam.com', 'ann@northwind.com', 'ceo@gmail.com', 'x@unmatched.com', 'noreply@fabrikam.com'];
const PEOPLE = [...USERS.map(mailOf), ...CONTACTS];
const DATASET = {
  contacts: [
    { email: 'jane@fabrikam.com', accountId: 'FAB' },
    { email: 'ann@northwind.com', accountId: 'NW' },
    { email: 'ceo@gmail.com', accountId: 'NW' },
    { email: 'z@litware.com', accountId: 'LIT' },
  ],
};

interface Copy {
  holder: string;
  message: GraphMessage;
}
interface LogicalEvent {
  ical: string;
  organizer: string;
  attendees: { address: string; declineAt: number | null }[];
  start: number;
  minutes: number;
  createdAt: number;
  cancelAt: number | null;
  allDay: boolean;
  holders: string[];
  declinerDeletes: boolean;
}

const rcpt = (address: string) => ({ emailAddress: { address } });
const iso = (t: number) => new Date(t).toISOString();

const emailArb = fc.record({
  from: fc.constantFrom(...PEOPLE),
  to: fc.uniqueArray(fc.constantFrom(...PEOPLE), { minLength: 1, maxLength: 3 }),
  bcc: fc.uniqueArray(fc.constantFrom(...PEOPLE), { maxLength: 1 }),
  /** Sent, in hours after T0 − 380 days (so some mail leaves the window). */
  sentHour: fc.oneof(
    fc.integer({ min: 0, max: (380 + 120) * 24 }),
    fc.integer({ min: 0, max: 40 * 24 }),
    fc.integer({ min: 370 * 24, max: 500 * 24 }),
    // Close before a weekly run (see runArb), so copies still arrive after it.
    fc.tuple(fc.integer({ min: 0, max: 16 }), fc.integer({ min: -72, max: 24 })).map(([week, h]) => (380 + 7 * week) * 24 + h),
  ),
  delaysMin: fc.array(fc.integer({ min: 0, max: 3000 }), { minLength: 6, maxLength: 6 }),
  conv: fc.constantFrom('c0', 'c1', 'c2'),
  /** A list copy to a member who is on no visible line. */
  listCopyTo: fc.option(fc.constantFrom(...USERS), { nil: null }),
  junk: fc.integer({ min: 0, max: 9 }).map((n) => n === 0),
  /** A Teams chat: Graph lists it among the messages, from a hidden folder. */
  chat: fc.integer({ min: 0, max: 5 }).map((n) => n === 0),
  noImid: fc.boolean(),
});

const eventArb = fc.record({
  organizer: fc.constantFrom(...PEOPLE.slice(0, 8)),
  attendees: fc.uniqueArray(fc.constantFrom(...PEOPLE), { minLength: 1, maxLength: 3 }),
  startHour: fc.oneof(fc.integer({ min: 0, max: (380 + 220) * 24 }), fc.integer({ min: 330 * 24, max: 520 * 24 })),
  minutes: fc.constantFrom(15, 30, 60),
  leadDays: fc.integer({ min: 0, max: 120 }),
  /** Days after creation a change happens, capped at start + 30 days. */
  cancelAfter: fc.option(fc.integer({ min: 0, max: 150 }), { nil: null }),
  declineAfter: fc.option(fc.integer({ min: 0, max: 150 }), { nil: null }),
  /** A member who declines deletes their copy (else keeps it, marked declined). */
  declinerDeletes: fc.boolean(),
  allDay: fc.boolean(),
});

const scenarioArb = fc.record({
  emails: fc.array(emailArb, { maxLength: 80 }),
  events: fc.array(eventArb, { maxLength: 30 }),
  /** Run times, in hours after T0 (sorted below); a run keeps the S of the run before unless it names one. */
  runs: fc.array(
    fc.record({
      hour: fc.oneof(
        fc.integer({ min: 0, max: 120 * 24 }),
        fc.tuple(fc.integer({ min: 0, max: 16 }), fc.integer({ min: 0, max: 48 })).map(([week, h]) => 7 * week * 24 + h),
      ),
      members: fc.option(fc.uniqueArray(fc.constantFrom(...USERS), { minLength: 2, maxLength: 4 }), { nil: null, freq: 3 }),
    }),
    { minLength: 2, maxLength: 6 },
  ),
  firstMembers: fc.uniqueArray(fc.constantFrom(...USERS), { minLength: 2, maxLength: 4 }),
});

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer S> ? S : never;

function build(s: Scenario): { copies: Copy[]; events: LogicalEvent[] } {
  const start = T0 - 380 * DAY;
  const copies: Copy[] = [];
  s.emails.forEach((e, i) => {
    const sent = start + e.sentHour * 3_600_000;
    const visible = new Set([e.from, ...e.to]);
    const holders = new Map<string, { bcc: boolean }>();
    for (const u of USERS) {
      if (mailOf(u) === e.from) holders.set(u, { bcc: true });
      else if (visible.has(mailOf(u)) || e.bcc.includes(mailOf(u))) holders.set(u, { bcc: false });
    }
    if (e.listCopyTo && !holders.has(e.listCopyTo)) holders.set(e.listCopyTo, { bcc: false });
    [...holders].forEach(([u, { bcc }], k) => {
      const received = mailOf(u) === e.from ? sent : sent + (e.delaysMin[k] ?? 0) * 60_000;
      copies.push({
        holder: u,
        message: {
          id: `${u}-m${i}`,
          internetMessageId: e.noImid ? null : `<m${i}@x>`,
          conversationId: e.conv,
          from: rcpt(e.from),
          sender: null,
          toRecipients: e.to.map(rcpt),
          ccRecipients: [],
          bccRecipients: bcc ? e.bcc.map(rcpt) : [],
          sentDateTime: iso(sent),
          receivedDateTime: iso(received),
          isDraft: false,
          parentFolderId: e.chat ? 'teamschat' : e.junk && k === 0 ? 'junk' : 'inbox',
        },
      });
    });
  });
  const events = s.events.map((e, i): LogicalEvent => {
    const st = start + e.startHour * 3_600_000;
    const createdAt = st - e.leadDays * DAY;
    const changeAt = (after: number | null) => (after === null ? null : Math.min(createdAt + after * DAY, st + 30 * DAY));
    const people = new Set([e.organizer, ...e.attendees]);
    return {
      ical: `ev${i}`,
      organizer: e.organizer,
      attendees: e.attendees.filter((a) => a !== e.organizer).map((address, k) => ({ address, declineAt: k === 0 ? changeAt(e.declineAfter) : null })),
      start: st,
      minutes: e.minutes,
      createdAt,
      cancelAt: changeAt(e.cancelAfter),
      allDay: e.allDay && e.minutes === 15,
      holders: USERS.filter((u) => people.has(mailOf(u))),
      declinerDeletes: e.declinerDeletes,
    };
  });
  // Meeting messages, as Graph lists them among the messages: invitations, responses, cancellations.
  events.forEach((e, i) => {
    const meetingMessage = (kind: string, type: string, from: string, to: string[], at: number | null): void => {
      if (at === null) return;
      for (const u of USERS.filter((h) => [from, ...to].includes(mailOf(h)))) {
        copies.push({
          holder: u,
          message: {
            '@odata.type': `#microsoft.graph.${type}`,
            id: `${u}-${kind}${i}`,
            internetMessageId: `<${kind}${i}@x>`,
            conversationId: 'c1',
            from: rcpt(from),
            toRecipients: to.map(rcpt),
            sentDateTime: iso(at),
            receivedDateTime: iso(at),
            isDraft: false,
            parentFolderId: 'inbox',
          },
        });
      }
    };
    const invitees = e.attendees.map((a) => a.address);
    meetingMessage('inv', 'eventMessageRequest', e.organizer, invitees, e.createdAt);
    if (e.attendees[0]) meetingMessage('resp', 'eventMessageResponse', e.attendees[0].address, [e.organizer], e.attendees[0].declineAt);
    meetingMessage('cancel', 'eventMessage', e.organizer, invitees, e.cancelAt);
  });
  return { copies, events };
}

/** The tenant as Graph would serve it at `asOf`. */
class GrowingTenantSource implements ActivitySource {
  requests = 0;
  constructor(
    private readonly data: { copies: Copy[]; events: LogicalEvent[] },
    private readonly asOf: number,
  ) {}
  organization() {
    return Promise.resolve({ id: 't', displayName: 'Contoso', verifiedDomains: ['contoso.com'] });
  }
  resolveMailboxes(entries: string[]): Promise<MailboxResolution> {
    const mailboxes: SelectedMailbox[] = USERS.filter((u) => entries.includes(mailOf(u))).map((u) => ({ id: u, mail: mailOf(u) }));
    return Promise.resolve({ entries: mailboxes.map((m) => ({ input: m.mail, kind: 'user' as const, id: m.id, displayName: m.id, mail: m.mail })), mailboxes });
  }
  probeMailboxAccess(): Promise<MailboxAccess> {
    return Promise.resolve({ mail: 'granted', calendar: 'granted' });
  }
  folderScan(): Promise<FolderScan> {
    this.requests++;
    return Promise.resolve({ excluded: new Set(['junk', 'teamschat']), all: new Set(['inbox', 'junk', 'teamschat']) });
  }
  async *messagePages(mailbox: SelectedMailbox, from: Date, to: Date): AsyncGenerator<GraphMessage[]> {
    const list = this.data.copies
      .filter((c) => c.holder === mailbox.id)
      .map((c) => c.message)
      .filter((m) => {
        const r = Date.parse(m.receivedDateTime!);
        return r <= this.asOf && r >= from.getTime() && r < to.getTime();
      });
    for (let i = 0; i === 0 || i < list.length; i += 3) {
      this.requests++;
      yield list.slice(i, i + 3);
    }
  }
  async *eventPages(mailbox: SelectedMailbox, start: Date, end: Date): AsyncGenerator<GraphEvent[]> {
    const at = this.asOf;
    const declinedBy = (e: LogicalEvent, address: string): boolean => e.attendees.some((a) => a.address === address && a.declineAt !== null && a.declineAt <= at);
    const list = this.data.events
      // A member who declined may have deleted their copy.
      .filter((e) => e.holders.includes(mailbox.id) && !(e.declinerDeletes && declinedBy(e, mailbox.mail)))
      .filter((e) => e.createdAt <= at && e.start >= start.getTime() && e.start < end.getTime())
      .map((e): GraphEvent => {
        // Only the organizer's copy shows the attendees' answers; an attendee's copy shows its own in responseStatus.
        const organizersCopy = e.organizer === mailbox.mail;
        return {
          id: `${mailbox.id}-${e.ical}`,
          iCalUId: e.ical,
          type: 'singleInstance',
          isCancelled: e.cancelAt !== null && e.cancelAt <= at,
          isAllDay: e.allDay,
          organizer: rcpt(e.organizer),
          attendees: e.attendees.map((a) => ({
            type: 'required',
            status: { response: !organizersCopy ? 'none' : declinedBy(e, a.address) ? 'declined' : 'accepted' },
            emailAddress: { address: a.address },
          })),
          responseStatus: { response: organizersCopy ? 'organizer' : declinedBy(e, mailbox.mail) ? 'declined' : 'accepted' },
          start: { dateTime: iso(e.start).replace('Z', ''), timeZone: 'UTC' },
          end: { dateTime: iso(e.start + e.minutes * 60_000).replace('Z', ''), timeZone: 'UTC' },
        };
      });
    this.requests++;
    yield list;
  }
  stats(): SourceStats {
    return { requests: this.requests, throttleWaits: 0, throttleWaitMs: 0, retries: 0 };
  }
}

const input = (members: string[], now: number, previous?: Map<string, number>) => ({
  orgEntries: members.map(mailOf),
  dataset: DATASET,
  rules: defaultRules(),
  now: new Date(now),
  ...(previous ? { previousScores: previous } : {}),
});

describe('incremental refresh', () => {
  it('when a growing tenant is refreshed at random times with S changing, then the last refresh equals a full recompute exactly', async () => {
    let refreshes = 0;
    await fc.assert(
      fc.asyncProperty(scenarioArb, async (scenario) => {
        const data = build(scenario);
        const runs = [...scenario.runs].sort((a, b) => a.hour - b.hour);
        const state = new MemoryRunStateStore();
        let previous: Map<string, number> | undefined;
        let members = scenario.firstMembers;
        let last;
        for (const run of runs) {
          const now = T0 + run.hour * 3_600_000;
          const before = previous;
          members = run.members ?? members;
          last = { now, members, before, outcome: await runEnrichment(new GrowingTenantSource(data, now), input(members, now, before), { incremental: { state } }) };
          await last.outcome.incremental!.commit();
          refreshes += last.outcome.incremental!.refreshed;
          previous = scoresOf(last.outcome.office);
        }
        const full = await runEnrichment(new GrowingTenantSource(data, last!.now), input(last!.members, last!.now, last!.before));
        expect(last!.outcome.office).toEqual(full.office);
        expect(last!.outcome.totals.emailsProcessed).toBe(full.totals.emailsProcessed);
        expect(last!.outcome.totals.meetingsProcessed).toBe(full.totals.meetingsProcessed);
      }),
      { numRuns: 200 },
    );
    // The property is about refreshes: most runs must have been ones.
    expect(refreshes).toBeGreaterThan(200);
  }, 120_000);

  it('when runs are a week apart, then a refresh reads only the new week of mail, not the year', async () => {
    const scenario = fc.sample(scenarioArb, { numRuns: 1, seed: 42 })[0]!;
    // Mail spread evenly over the year and a half before T0 + 120 days.
    const spread = fc.tuple(emailArb, fc.integer({ min: 0, max: 500 * 24 })).map(([e, sentHour]) => ({ ...e, sentHour }));
    const data = build({ ...scenario, emails: [...scenario.emails, ...fc.sample(spread, { numRuns: 200, seed: 7 })] });
    const state = new MemoryRunStateStore();
    const first = await runEnrichment(new GrowingTenantSource(data, T0), input(USERS, T0), { incremental: { state } });
    await first.incremental!.commit();
    const second = await runEnrichment(new GrowingTenantSource(data, T0 + 7 * DAY), input(USERS, T0 + 7 * DAY), { incremental: { state } });
    expect(second.incremental).toMatchObject({ refreshed: USERS.length, collectedInFull: 0 });
    expect(second.totals.messagesRead).toBeLessThan(first.totals.messagesRead / 5);
  });

  it('when a mailbox that failed in every earlier run succeeds, then the run reads every mailbox again and equals a full recompute', async () => {
    const scenario = fc.sample(scenarioArb, { numRuns: 1, seed: 42 })[0]!;
    const spread = fc.tuple(emailArb, fc.integer({ min: 0, max: 500 * 24 })).map(([e, sentHour]) => ({ ...e, sentHour }));
    const data = build({ ...scenario, emails: [...scenario.emails, ...fc.sample(spread, { numRuns: 200, seed: 7 })] });
    const failingFor = (source: GrowingTenantSource, id: string): ActivitySource =>
      Object.assign(Object.create(source) as ActivitySource, {
        messagePages: (mailbox: SelectedMailbox, from: Date, to: Date) => {
          if (mailbox.id === id) throw new Error('mailbox unavailable');
          return source.messagePages(mailbox, from, to);
        },
      });
    const state = new MemoryRunStateStore();
    const first = await runEnrichment(failingFor(new GrowingTenantSource(data, T0), 'u2'), input(USERS, T0), { incremental: { state } });
    await first.incremental!.commit();
    expect(first.totals.failures.map((f) => f.mailbox)).toEqual([mailOf('u2')]);

    const later = T0 + 7 * DAY;
    const previous = scoresOf(first.office);
    const second = await runEnrichment(new GrowingTenantSource(data, later), input(USERS, later, previous), { incremental: { state } });
    await second.incremental!.commit();
    expect(second.incremental).toMatchObject({ journal: { full: true }, refreshed: 0, collectedInFull: USERS.length });
    const full = await runEnrichment(new GrowingTenantSource(data, later), input(USERS, later, previous));
    expect(second.office).toEqual(full.office);
  });
});

