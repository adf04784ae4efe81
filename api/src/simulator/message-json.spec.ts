import { mulberry32 } from './faults';
import { messageSchema } from './fixture';
import { projectMessage } from './graph-routes';
import {
  compileMessageProjection,
  F_RECEIVED,
  F_SENT,
  hasLayout,
  isoUtcMs,
  JsonBytes,
  KIND_STRING,
  LAYOUT_WORDS,
  MessageLine,
  writeLayoutMessage,
  writeProjectedMessage,
} from './message-json';
import { MESSAGE_SELECT_ALLOW_LIST } from './odata';

const SELECTS: string[][] = [
  [...MESSAGE_SELECT_ALLOW_LIST],
  ['receivedDateTime', 'from', 'id', 'toRecipients', 'isDraft', 'sender'],
  ['id'],
  ['isDraft', 'parentFolderId', 'bccRecipients', 'ccRecipients', 'internetMessageId', 'conversationIndex', 'sentDateTime', 'conversationId'],
];

/** What the general path accepts: JSON.parse, then the schema (dates included). */
function generalAccepts(text: string): boolean {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return false;
  }
  return messageSchema.safeParse(raw).success;
}

/** What the general path serves for a line and a `$select`. */
function generalBytes(text: string, select: string[]): string {
  return JSON.stringify(projectMessage(JSON.parse(text) as Parameters<typeof projectMessage>[0], select));
}

/** Scans, as indexing does (the byte scan, then the dates), and checks every promise the fast paths make. */
function check(text: string | Buffer): { fast: boolean; layout: boolean } {
  const buf = Buffer.isBuffer(text) ? text : Buffer.from(text, 'utf8');
  // Some room around the line, as in a page buffer.
  const padded = Buffer.concat([Buffer.from('xx\n'), buf, Buffer.from('\nyy')]);
  const start = 3;
  const end = 3 + buf.length;
  const line = new MessageLine();
  const scanned = line.scan(padded, start, end);
  const fast = scanned && !Number.isNaN(line.dateMs(F_RECEIVED)) && (line.kind[F_SENT] !== KIND_STRING || !Number.isNaN(line.dateMs(F_SENT)));
  const decoded = buf.toString('utf8');
  if (fast) expect(generalAccepts(decoded)).toBe(true);
  let layout = false;
  if (fast) {
    const at = 2 * LAYOUT_WORDS;
    const layouts = new Uint16Array(5 * LAYOUT_WORDS);
    layout = line.layout(layouts, at, start) && hasLayout(layouts, at);
    for (const select of SELECTS) {
      if (!generalAccepts(decoded)) continue;
      const want = generalBytes(decoded, select);
      const projection = compileMessageProjection(select);
      const out = new JsonBytes(16);
      writeProjectedMessage(line, projection, out);
      expect(out.result().toString('utf8')).toBe(want);
      out.release();
      if (layout) {
        const viaLayout = new JsonBytes(16);
        writeLayoutMessage(padded, start, layouts, at, projection, viaLayout);
        expect(viaLayout.result().toString('utf8')).toBe(want);
        viaLayout.release();
      }
    }
  }
  return { fast, layout };
}

const base = {
  '@odata.type': '#microsoft.graph.eventMessageRequest',
  id: 'AAMk-1',
  parentFolderId: 'f-inbox',
  conversationId: 'c-1',
  conversationIndex: 'AQHa',
  internetMessageId: '<m1@contoso.com>',
  isDraft: false,
  from: { emailAddress: { name: 'Ana Lima', address: 'ana@contoso.com' } },
  sender: { emailAddress: { name: 'Ana Lima', address: 'ana@contoso.com' } },
  toRecipients: [{ emailAddress: { name: 'Budi', address: 'budi@fabrikam.com' } }, { emailAddress: { name: 'Cici', address: 'cici@fabrikam.com' } }],
  ccRecipients: [],
  bccRecipients: [],
  sentDateTime: '2025-03-01T09:00:00Z',
  receivedDateTime: '2025-03-01T09:00:02Z',
  subject: 'Renewal – "Q2"',
  body: { contentType: 'html', content: '<p>a\\b</p>\n' },
};
const line = (o: Record<string, unknown>): string => JSON.stringify(o);
const without = (k: string): Record<string, unknown> => Object.fromEntries(Object.entries(base).filter(([key]) => key !== k));

describe('MessageLine.scan and the writers', () => {
  it.each([
    ['a generated line', line(base), true, true],
    ['a plain message (no @odata.type served)', line({ ...base, '@odata.type': '#microsoft.graph.message' }), true, true],
    ['no @odata.type', line(without('@odata.type')), true, true],
    ['spaces and line ends between tokens (recipients then not copied whole)', JSON.stringify(base, null, 2).replace(/\n/g, ' '), true, false],
    ['spaces before some members (copied field by field)', line(base).replace(/,"(?=(parentFolderId|conversationIndex|isDraft|ccRecipients|receivedDateTime)")/g, ', "'), true, true],
    ['tabs and CR around the object', `\t${line(base)} \r`, true, true],
    ['fields in another order', line({ receivedDateTime: base.receivedDateTime, toRecipients: base.toRecipients, id: 'x', from: base.from }), true, true],
    ['nulls where the schema allows them', line({ ...base, from: null, sender: null, toRecipients: null, isDraft: null, conversationId: null, sentDateTime: null }), true, true],
    ['missing optional fields', line({ id: 'x', receivedDateTime: '2025-01-01T00:00:00.123Z' }), true, true],
    ['a recipient without a name', line({ ...base, from: { emailAddress: { address: 'a@x.com' } } }), true, false],
    ['a recipient with null emailAddress', line({ ...base, toRecipients: [{ emailAddress: null }, {}] }), true, false],
    ['a recipient with extra members', line({ ...base, sender: { emailAddress: { name: 'A', address: 'a@x.com', kind: 1 }, x: [1, { y: 'z' }] } }), true, false],
    ['address before name', '{"id":"x","receivedDateTime":"2025-01-01T00:00:00Z","from":{"emailAddress":{"address":"a@x.com","name":"A"}}}', true, false],
    ['non-ASCII in served strings', line({ ...base, from: { emailAddress: { name: 'Zoë Ñandú 日本 😀', address: 'z@x.com' } } }), true, true],
    ['escapes in fields nobody serves', line({ ...base, subject: 'tab\there "q" \\ \u0001 \ud83d\ude00' }), true, true],
    ['numbers and deep values in unknown fields', line({ ...base, size: -12.5e3, flags: [true, false, null, { a: [[0]] }] }), true, true],
    ['a date Date.parse reads in another form', line({ ...base, receivedDateTime: '2025-03-01T09:00:02+02:00' }), true, true],
    ['an escape in a served string', '{"id":"a\\u0062","receivedDateTime":"2025-01-01T00:00:00Z"}', false, false],
    ['an escaped key', '{"i\\u0064":"x","receivedDateTime":"2025-01-01T00:00:00Z"}', false, false],
    ['a duplicate served key', '{"id":"x","id":"y","receivedDateTime":"2025-01-01T00:00:00Z"}', false, false],
    ['a duplicate recipient member', '{"id":"x","receivedDateTime":"2025-01-01T00:00:00Z","from":{"emailAddress":{"name":"A","name":"B"}}}', false, false],
    ['no id', line(without('id')), false, false],
    ['an empty id', line({ ...base, id: '' }), false, false],
    ['no receivedDateTime', line(without('receivedDateTime')), false, false],
    ['a receivedDateTime that is not a date', line({ ...base, receivedDateTime: 'yesterday' }), false, false],
    ['a sentDateTime that is not a date', line({ ...base, sentDateTime: '2025-13-45' }), false, false],
    ['an unknown @odata.type', line({ ...base, '@odata.type': '#microsoft.graph.contact' }), false, false],
    ['a null @odata.type', line({ ...base, '@odata.type': null }), false, false],
    ['a null recipient in a list', line({ ...base, toRecipients: [null] }), false, false],
    ['isDraft as a string', line({ ...base, isDraft: 'false' }), false, false],
    ['a number id', line({ ...base, id: 7 }), false, false],
    ['not an object', '["x"]', false, false],
    ['an empty object', '{}', false, false],
    ['truncated JSON', line(base).slice(0, 100), false, false],
    ['a trailing comma', line(base).replace(/}$/, ',}'), false, false],
    ['trailing garbage', `${line(base)} x`, false, false],
    ['a leading zero', line(base).replace('"isDraft":false', '"isDraft":false,"n":01'), false, false],
    ['a raw control character in a string', line(base).replace('Renewal', 'Re\u0007newal'), false, false],
  ])('when the line has %s, then fast is %p and layout is %p, and what is served equals the general path', (_name, text, fast, layout) => {
    expect(check(text)).toEqual({ fast, layout });
  });

  it.each([
    ['invalid UTF-8 in a served string', Buffer.concat([Buffer.from('{"id":"a'), Buffer.from([0xc3, 0x28]), Buffer.from('","receivedDateTime":"2025-01-01T00:00:00Z"}')])],
    ['a lone surrogate encoded in UTF-8', Buffer.concat([Buffer.from('{"id":"a'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('","receivedDateTime":"2025-01-01T00:00:00Z"}')])],
    ['an overlong encoding', Buffer.concat([Buffer.from('{"id":"a'), Buffer.from([0xc0, 0xaf]), Buffer.from('","receivedDateTime":"2025-01-01T00:00:00Z"}')])],
  ])('when the bytes hold %s, then the line is left to the general path', (_name, bytes) => {
    expect(check(bytes)).toEqual({ fast: false, layout: false });
  });

  it('when lines are generated and mutated at random, then a line the scan accepts is served exactly as the general path serves it', () => {
    const rnd = mulberry32(20251201);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const plain = ['', 'a', 'Ana Lima', 'Zoë', '😀', 'x'.repeat(70)];
    /** Strings that need escapes in JSON: such a served field sends the line to the general path. */
    const escaped = ['q"uote', 'back\\slash', 'tab\t'];
    const str = (): string => (rnd() < 0.98 ? pick(plain) : pick(escaped));
    /** Mostly what the schema allows, sometimes not. */
    const valid = <T>(good: readonly T[], bad: readonly unknown[]): unknown => (rnd() < 0.97 ? pick(good) : pick(bad));
    const recipient = (): unknown =>
      valid([{ emailAddress: { name: str(), address: str() } }, { emailAddress: { name: str(), address: str() } }, {}, { emailAddress: null }, { emailAddress: { address: str() } }, { emailAddress: { name: null, address: null }, extra: 1 }], [null, 'x', { emailAddress: 3 }]);
    const mutations: Array<(s: string) => string> = [
      (s) => s,
      (s) => s,
      (s) => s.replace(/,/g, () => (rnd() < 0.3 ? ' ,\n' : ',')),
      (s) => s.replace(/:/g, () => (rnd() < 0.3 ? ' : ' : ':')),
      (s) => s.slice(0, Math.floor(rnd() * s.length)),
      (s) => {
        const i = Math.floor(rnd() * s.length);
        return s.slice(0, i) + pick(['"', '\\', '{', '}', ',', ':', 'x', '\u0001', ' ']) + s.slice(i + 1);
      },
      (s) => s.replace('"id"', pick(['"id"', '"i\\u0064"', '"ID"'])),
    ];
    let fast = 0;
    for (let i = 0; i < 3000; i++) {
      const m: Record<string, unknown> = {};
      const keys = [...Object.keys(base), 'extra'].sort(() => rnd() - 0.5);
      for (const k of keys) {
        if (rnd() < (k === 'id' || k === 'receivedDateTime' ? 0.02 : 0.15)) continue;
        if (k === 'from' || k === 'sender') m[k] = rnd() < 0.1 ? null : recipient();
        else if (k.endsWith('Recipients')) m[k] = rnd() < 0.1 ? null : Array.from({ length: Math.floor(rnd() * 4) }, recipient);
        else if (k === 'isDraft') m[k] = valid([true, false, null], ['no', 0]);
        else if (k === '@odata.type') m[k] = valid(['#microsoft.graph.message', '#microsoft.graph.eventMessage', '#microsoft.graph.eventMessageResponse'], ['x', null]);
        else if (k.endsWith('DateTime')) m[k] = valid(['2025-01-01T00:00:00Z', '2025-02-30T10:00:00.5Z', '2024-12-31T23:59:59.999Z', '2025-01-01T01:00:00+01:00'], ['nope', null]);
        else if (k === 'extra') m[k] = pick([1, [1, 2, { a: null }], { deep: { er: ['x'] } }, 'e\u00e9']);
        else if (k === 'id') m[k] = valid([str() || 'id'], ['', 3, null]);
        else m[k] = valid([str(), str(), null], [3, true]);
      }
      if (check(pick(mutations)(JSON.stringify(m))).fast) fast++;
    }
    // The mix exercises both paths.
    expect(fast).toBeGreaterThan(300);
    expect(fast).toBeLessThan(2900);
  });
});

describe('isoUtcMs', () => {
  it.each([
    ['2025-03-01T09:00:02Z', Date.parse('2025-03-01T09:00:02Z')],
    ['2025-03-01T09:00:02.123Z', Date.parse('2025-03-01T09:00:02.123Z')],
    ['2024-02-29T23:59:59Z', Date.parse('2024-02-29T23:59:59Z')],
    ['2025-02-30T00:00:00Z', Date.parse('2025-02-30T00:00:00Z')],
    ['2025-04-31T12:00:00Z', Date.parse('2025-04-31T12:00:00Z')],
    ['1970-01-01T00:00:00Z', 0],
    ['2025-13-01T00:00:00Z', NaN],
    ['2025-01-01T24:00:00Z', NaN],
    ['1969-12-31T23:59:59Z', NaN],
    ['2025-01-01T00:00:00+00:00', NaN],
    ['2025-01-01 00:00:00Z', NaN],
    ['2025-01-01T00:00:00.1Z', NaN],
  ])('when the text is %s, then it reads %p (NaN: left to Date.parse)', (text, want) => {
    const b = Buffer.from(text);
    expect(isoUtcMs(b, 0, b.length)).toBe(want);
  });

  it('when dates are drawn at random, then every one it reads equals Date.parse', () => {
    const rnd = mulberry32(7);
    const pad = (v: number, w: number): string => String(v).padStart(w, '0');
    let read = 0;
    for (let i = 0; i < 20000; i++) {
      const s = `${pad(1960 + Math.floor(rnd() * 8000), 4)}-${pad(Math.floor(rnd() * 14), 2)}-${pad(Math.floor(rnd() * 33), 2)}T${pad(Math.floor(rnd() * 26), 2)}:${pad(Math.floor(rnd() * 61), 2)}:${pad(Math.floor(rnd() * 61), 2)}${rnd() < 0.5 ? `.${pad(Math.floor(rnd() * 1000), 3)}` : ''}Z`;
      const b = Buffer.from(s);
      const v = isoUtcMs(b, 0, b.length);
      if (Number.isNaN(v)) continue;
      read++;
      expect(v).toBe(Date.parse(s));
    }
    expect(read).toBeGreaterThan(10000);
  });
});
