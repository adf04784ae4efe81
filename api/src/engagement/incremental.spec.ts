import { ALICE, evt, makeContext, makeDirectory, msg, reduceMailboxes } from './__tests__/builders';
import {
  conversationAt,
  conversationWords,
  createSlicedMailboxReducer,
  dropMeetingsOutside,
  emptyThreads,
  receivedDayOf,
  settleThreads,
  timelineLookup,
  type RecentThreads,
  type SettledThreads,
} from './incremental';
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

describe('settleThreads', () => {
  const D = 86_400_000;
  const W = 100 * D;
  /** enc of an email sent at day d + 12 h, internal unless said. */
  const e = (d: number, internal = true) => (d * D + 12 * 3_600_000) * 2 + (internal ? 1 : 0);
  /** A conversation hash: 16 base64url characters. */
  const conv = (c: string): string => c.repeat(16);
  const recent = (entries: [number, number][]): RecentThreads => new Map([[conv('c'), new Map(entries)]]);
  const threads = (rows: [string, number, number][]): SettledThreads => ({
    keys: Uint32Array.from(rows.flatMap(([c]) => conversationWords(conv(c)))),
    enc: Float64Array.from(rows.map((r) => r[1])),
    until: Float64Array.from(rows.map((r) => r[2])),
  });
  const settled = (flat: number[]): SettledThreads => threads(flat.flatMap((v, i) => (i % 2 === 0 ? [['c', v, flat[i + 1]] as [string, number, number]] : [])));
  const flatOf = (t: SettledThreads): number[] => [...t.enc].flatMap((enc, i) => [enc, t.until[i]]);
  it.each<[string, SettledThreads, RecentThreads, number[]]>([
    ['the latest email received last is all that is kept', emptyThreads(), recent([[e(120), 120 * D], [e(121), 121 * D]]), [e(121), 121 * D]],
    ['an older email received later than a newer one is kept too', emptyThreads(), recent([[e(120), 125 * D], [e(121), 121 * D]]), [e(120), 125 * D, e(121), 121 * D]],
    ['emails not yet settled stay out', emptyThreads(), recent([[e(120), 120 * D], [e(130), 130 * D]]), [e(120), 120 * D]],
    ['a settled email that left W goes', settled([e(90), 99 * D]), new Map(), []],
    ['a settled email still in W stays', settled([e(90), 100 * D]), new Map(), [e(90), 100 * D]],
    ['a newer settled email replaces an older one received earlier', settled([e(110), 110 * D]), recent([[e(115), 115 * D]]), [e(115), 115 * D]],
    ['a latest email from outside goes: as P it makes no reply, as no P does', emptyThreads(), recent([[e(120), 120 * D], [e(121, false), 121 * D]]), []],
    ['an older outside email received later goes, the newer internal one stays', emptyThreads(), recent([[e(120, false), 125 * D], [e(121), 121 * D]]), [e(121), 121 * D]],
  ])('when %s', (_label, before, recentThreads, expected) => {
    expect(flatOf(settleThreads(before, recentThreads, 125 * D, W))).toEqual(expected);
  });

  it('when conversations are settled and recent, then the output stays sorted by conversation', () => {
    const before = threads([['a', e(110), 110 * D], ['c', e(111), 111 * D]]);
    const out = settleThreads(before, new Map([[conv('b'), new Map([[e(112), 112 * D]])]]), 125 * D, W);
    expect([0, 1, 2].map((i) => conversationAt(out, i))).toEqual([conv('a'), conv('b'), conv('c')]);
    expect([...out.enc]).toEqual([e(110), e(112), e(111)]);
  });

  it('when one email of a conversation between untouched ones leaves W, then only that conversation is pruned and the others are copied as they are', () => {
    const before = threads([
      ['a', e(95), 100 * D],
      ['b', e(90), 99 * D],
      ['b', e(96, false), 101 * D],
      ['b', e(97), 100 * D],
      ['c', e(91), 99 * D],
      ['d', e(98), 102 * D],
    ]);
    const out = settleThreads(before, new Map(), 125 * D, W);
    expect([...out.enc].map((enc, i) => [conversationAt(out, i), enc, out.until[i]])).toEqual([
      [conv('a'), e(95), 100 * D],
      [conv('b'), e(97), 100 * D],
      [conv('d'), e(98), 102 * D],
    ]);
  });

  it.each(['c', 'c'.repeat(15) + '!', 'c'.repeat(17)])('when a conversation key %j is not a 16-character hash, then it is refused rather than folded into another', (key) => {
    expect(() => conversationWords(key)).toThrow(/Not a conversation hash/);
  });

  it('when a conversation has settled and recent emails, then the lookup merges them with the latest collection day', () => {
    const timeline = timelineLookup(settled([e(110), 110 * D]), recent([[e(110), 112 * D], [e(130), 130 * D]]))(conv('c'));
    expect(timeline).toEqual({ enc: [e(110), e(130)], until: [112 * D, 130 * D], reach: [112 * D, 130 * D] });
  });
});
