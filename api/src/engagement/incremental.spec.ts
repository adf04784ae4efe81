import { ALICE, BOB, CAROL, evt, makeContext, makeDirectory, msg, reduceMailboxes } from './__tests__/builders';
import { computeResults } from './compute-results';
import { createSlicedMailboxReducer, dropMeetingsOutside, receivedDayOf, restrictToMembers } from './incremental';
import { emptyPartial, mergeInto, type MailboxPartial } from './partial';
import { serializePartial } from './partial-serialization';
import type { GraphEvent, GraphMessage, SelectedMailbox } from './types';

const ctx = makeContext();
const directory = makeDirectory();

function sliced(mailbox: SelectedMailbox, messages: GraphMessage[], events: GraphEvent[] = []) {
  const reducer = createSlicedMailboxReducer(ctx, directory, mailbox, new Set(['junk']));
  reducer.addMessages(messages);
  reducer.addEvents(events);
  return reducer.finish();
}

function mergeAll(parts: MailboxPartial[]): MailboxPartial {
  const total = emptyPartial();
  for (const p of parts) mergeInto(total, p);
  return total;
}

describe('receivedDayOf', () => {
  it.each([
    ['a receivedDateTime', { receivedDateTime: '2025-06-03T23:59:59Z', sentDateTime: '2025-06-02T10:00:00Z' }, '2025-06-03T00:00:00.000Z'],
    ['no receivedDateTime', { receivedDateTime: null, sentDateTime: '2025-06-02T10:00:00Z' }, '2025-06-02T00:00:00.000Z'],
    ['no dates at all', { receivedDateTime: null, sentDateTime: null }, '1970-01-01T00:00:00.000Z'],
  ])('when a message has %s, then its day is the UTC day shown', (_label, dates, day) => {
    expect(new Date(receivedDayOf({ id: 'x', ...dates })).toISOString()).toBe(day);
  });
});

describe('createSlicedMailboxReducer', () => {
  const messages = [
    msg({ from: 'alice@contoso.com', to: ['jane@fabrikam.com'], sent: '2025-06-01T10:00:00Z', conv: 'c1' }),
    msg({ from: 'jane@fabrikam.com', to: ['alice@contoso.com'], sent: '2025-06-01T12:00:00Z', conv: 'c1' }),
    msg({ from: 'alice@contoso.com', to: ['bob@northwind.com'], sent: '2025-06-03T08:00:00Z', conv: 'c2' }),
    msg({ from: 'alice@contoso.com', to: ['carol@contoso.com'], sent: '2025-06-04T08:00:00Z', conv: 'c1' }),
  ];
  const events = [evt({ organizer: 'alice@contoso.com', attendees: [['jane@fabrikam.com']], start: '2025-06-05T09:00:00Z' })];

  it('when the day slices and meetings are merged, then they equal the plain reducer partial', () => {
    const s = sliced(ALICE, messages, events);
    const [plain] = reduceMailboxes(ctx, directory, { [ALICE.id]: { messages, events, excludedFolders: ['junk'] } });
    expect(serializePartial(mergeAll([...s.days.values(), s.meetings]))).toEqual(serializePartial(plain!));
  });

  it('when messages arrive on three days, then there are three slices and the latest receivedDateTime is the mark', () => {
    const s = sliced(ALICE, messages);
    expect([...s.days.keys()].map((d) => new Date(d).toISOString().slice(0, 10)).sort()).toEqual(['2025-06-01', '2025-06-03', '2025-06-04']);
    expect(s.maxReceived).toBe(Date.parse('2025-06-04T08:00:00Z'));
  });

  it('when no message is read, then the mark is null', () => {
    expect(sliced(ALICE, []).maxReceived).toBeNull();
  });

  it('when a member holds a copy it is not visibly addressed on, then the pending entry names its sender', () => {
    // Bob's copy of Alice's email Bcc'd to Bob: Bob is not on the visible lines.
    const copy = msg({ from: 'alice@contoso.com', to: ['someone@contoso.com'], sent: '2025-06-01T10:00:00Z' });
    const s = sliced(BOB, [copy]);
    expect([...s.pendingSenders.values()]).toEqual([ALICE.id]);
  });
});

describe('restrictToMembers', () => {
  it('when S is unchanged, then the results are unchanged', () => {
    const messages = [msg({ from: 'alice@contoso.com', to: ['jane@fabrikam.com', 'bob@contoso.com'], sent: '2025-06-01T10:00:00Z' })];
    const s = sliced(ALICE, messages);
    const before = computeResults(ctx, directory, mergeAll([...s.days.values()]));
    const restricted = [...s.days.values()].map((p) => restrictToMembers(p, new Set([ALICE.id, BOB.id, CAROL.id]), s.pendingSenders));
    expect(computeResults(ctx, directory, mergeAll(restricted)).rows).toEqual(before.rows);
  });

  it.each([
    ['Bob leaves S', [ALICE, CAROL]],
    ['Carol leaves S', [ALICE, BOB]],
  ])('when %s, then the restricted partials give the results of a full run with the smaller S', (_label, remaining) => {
    const data = {
      [ALICE.id]: {
        messages: [
          msg({ imid: '<a1>', from: 'alice@contoso.com', to: ['jane@fabrikam.com', 'bob@contoso.com'], sent: '2025-06-01T10:00:00Z' }),
          msg({ imid: '<a2>', from: 'alice@contoso.com', to: ['carol@contoso.com'], bcc: ['jane@fabrikam.com'], sent: '2025-06-02T10:00:00Z' }),
        ],
        events: [evt({ ical: 'e1', organizer: 'alice@contoso.com', attendees: [['jane@fabrikam.com'], ['bob@contoso.com'], ['carol@contoso.com', 'declined']], start: '2025-06-05T09:00:00Z' })],
      },
      [CAROL.id]: {
        // Carol's copy of a2 does not show the Bcc; Bob's copy of a3 is a pending holder copy.
        messages: [msg({ imid: '<a2>', from: 'alice@contoso.com', to: ['carol@contoso.com'], sent: '2025-06-02T10:00:00Z' })],
      },
      [BOB.id]: {
        messages: [
          msg({ imid: '<a1>', from: 'alice@contoso.com', to: ['jane@fabrikam.com', 'bob@contoso.com'], sent: '2025-06-01T10:00:00Z' }),
          msg({ imid: '<a3>', from: 'carol@contoso.com', to: ['x@contoso.com'], sent: '2025-06-03T10:00:00Z' }),
          msg({ imid: '<a4>', from: 'carol@contoso.com', to: ['jane@fabrikam.com'], sent: '2025-06-03T11:00:00Z' }),
        ],
        events: [evt({ ical: 'e1', organizer: 'alice@contoso.com', attendees: [['jane@fabrikam.com'], ['bob@contoso.com']], start: '2025-06-05T09:00:00Z' })],
      },
    };
    const smallCtx = makeContext({ mailboxes: remaining });
    const smallDirectory = makeDirectory(undefined, smallCtx);
    const expected = computeResults(
      smallCtx,
      smallDirectory,
      mergeAll(reduceMailboxes(smallCtx, smallDirectory, Object.fromEntries(Object.entries(data).filter(([id]) => remaining.some((m) => m.id === id))))),
    );
    const ids = new Set(remaining.map((m) => m.id));
    const parts: MailboxPartial[] = [];
    for (const mailbox of remaining) {
      const d = data[mailbox.id]!;
      const s = sliced(mailbox, d.messages, d.events ?? []);
      for (const p of [...s.days.values(), s.meetings]) parts.push(restrictToMembers(p, ids, s.pendingSenders));
    }
    expect(computeResults(smallCtx, smallDirectory, mergeAll(parts)).rows).toEqual(expected.rows);
  });
});

describe('dropMeetingsOutside', () => {
  const partial = (): MailboxPartial =>
    sliced(ALICE, [], [
      evt({ ical: 'early', organizer: 'alice@contoso.com', attendees: [['jane@fabrikam.com']], start: '2025-01-01T09:00:00Z' }),
      evt({ ical: 'mid', organizer: 'alice@contoso.com', attendees: [['jane@fabrikam.com']], start: '2025-06-01T09:00:00Z' }),
      evt({ ical: 'late', organizer: 'alice@contoso.com', attendees: [['jane@fabrikam.com']], start: '2025-09-01T09:00:00Z' }),
    ]).meetings;

  it.each([
    ['from only', Date.parse('2025-06-01T09:00:00Z'), null, 2],
    ['to only', null, Date.parse('2025-06-01T09:00:00Z'), 1],
    ['both', Date.parse('2025-02-01T00:00:00Z'), Date.parse('2025-07-01T00:00:00Z'), 1],
    ['neither', null, null, 3],
  ])('when bounded by %s, then the meetings starting outside are dropped', (_label, from, to, left) => {
    expect(dropMeetingsOutside(partial(), from, to).meetings.size).toBe(left);
  });
});
