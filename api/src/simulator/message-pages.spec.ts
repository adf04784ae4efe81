/**
 * A fixture folder serves message pages from the lines' bytes (message-json.ts); the in-memory
 * form serves them from objects. Both must send the same bytes for every request.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFixture, type TenantFixtureInput } from './fixture';
import { LAYOUT_WORDS } from './message-json';
import { startSimulator, withUtf8Charset, type RunningSimulator } from './server';
import { tinyTenant } from './test-tenant';

const addr = (name: string, address: string): unknown => ({ emailAddress: { name, address } });

/** Alice's mailbox as NDJSON lines: the tiny tenant's messages, then lines only a hand-written file has. */
function aliceLines(): string[] {
  const plain = (tinyTenant().mailboxes!['u-alice']!.messages ?? []).map((m) => JSON.stringify(m));
  const at = (day: number, extra = ''): string => `2025-02-${String(day).padStart(2, '0')}T08:00:00${extra}Z`;
  const odd = [
    JSON.stringify({ id: 'm-spaced', parentFolderId: 'f-inbox', from: addr('Spaced', 'sp@x.com'), toRecipients: [addr('A', 'a@x.com')], receivedDateTime: at(1) }, null, 1).replace(/\n/g, ' '),
    `{"id":"m-\\u0065sc","conversationId":"c-\\"q\\"","receivedDateTime":"${at(2)}","from":${JSON.stringify(addr('Esc', 'esc@x.com'))}}`,
    JSON.stringify({ id: 'm-utf8', from: { emailAddress: { address: 'zoe@x.com' } }, sender: { emailAddress: { name: 'Zoë 日本 😀', address: null } }, receivedDateTime: at(3), subject: 'Ça – "va"\t\u0001' }),
    JSON.stringify({ '@odata.type': '#microsoft.graph.eventMessageResponse', id: 'm-meet', isDraft: null, from: null, toRecipients: null, ccRecipients: [{}], receivedDateTime: at(4) }),
    `{"id":"m-order","toRecipients":[{"emailAddress":{"address":"b@x.com","name":"B"},"extra":[1,{"k":null}]}],"receivedDateTime":"${at(5)}","isDraft":true}`,
    JSON.stringify({ id: 'm-offset', receivedDateTime: '2025-02-06T15:00:00+07:00', sentDateTime: '2025-02-06T14:59:00+07:00', parentFolderId: 'f-sent' }),
    // Two at the same instant, the greater id first in the file: the index orders them by id.
    JSON.stringify({ id: 'm-tie-b', receivedDateTime: at(7, '.500') }),
    JSON.stringify({ id: 'm-tie-a', receivedDateTime: at(7, '.500') }),
    `${JSON.stringify({ id: 'm-crlf', conversationIndex: 'AQ==', receivedDateTime: at(8) })}\r`,
    JSON.stringify({ id: 'm-plain-type', '@odata.type': '#microsoft.graph.message', internetMessageId: '<p@x>', receivedDateTime: at(9) }),
  ];
  return [...plain, ...odd];
}

function objectTenant(lines: string[]): TenantFixtureInput {
  const fx = tinyTenant();
  const messages = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
  fx.mailboxes!['u-alice']!.messages = messages as never;
  fx.mailboxes!['u-carol']!.messages = messages as never;
  return fx;
}

function writeFolder(dir: string, lines: string[]): void {
  const { mailboxes, ...tenant } = tinyTenant();
  writeFileSync(join(dir, 'tenant.json'), JSON.stringify(tenant));
  for (const [id, mb] of Object.entries(mailboxes ?? {})) {
    const d = join(dir, 'mailboxes', id);
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'mailFolders.json'), JSON.stringify(mb.mailFolders ?? []));
    // Newest first on disk: the index sorts.
    writeFileSync(join(d, 'messages.ndjson'), `${[...lines].reverse().join('\n')}\n`);
  }
}

const SELECTS = [
  'id,conversationId,conversationIndex,internetMessageId,from,sender,toRecipients,ccRecipients,bccRecipients,sentDateTime,receivedDateTime,isDraft,parentFolderId',
  'receivedDateTime,from,id,toRecipients,isDraft,sender',
  'parentFolderId,ccRecipients,bccRecipients,sentDateTime,conversationIndex',
];
const QUERIES = SELECTS.flatMap((select) => [
  `$select=${select}&$top=7`,
  `$select=${select}&$filter=receivedDateTime ge 2025-01-10T00:00:00Z and receivedDateTime lt 2025-03-01T00:00:00Z&$orderby=receivedDateTime desc&$top=4`,
  `$select=${select}&$orderby=receivedDateTime asc&$top=1000`,
]);

/** Every page of every query, following nextLinks, with the simulator's own URL taken out. */
async function pages(sim: RunningSimulator, mailbox: string): Promise<string[]> {
  const token = await sim.issueToken();
  const out: string[] = [];
  for (const q of QUERIES) {
    let url: string | undefined = `${sim.graphBaseUrl}/users/${mailbox}/messages?${q}`;
    while (url) {
      const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
      const text = await res.text();
      out.push(`${res.status} ${res.headers.get('content-type')} ${text.split(sim.url).join('<sim>')}`);
      url = (JSON.parse(text) as { '@odata.nextLink'?: string })['@odata.nextLink'];
    }
  }
  return out;
}

describe('message pages from a fixture folder', () => {
  let dir: string;
  let expected: string[];
  let expectedCarol: string[];
  const lines = aliceLines();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rapport-pages-'));
    writeFolder(dir, lines);
    const sim = await startSimulator({ tenant: objectTenant(lines), consent: { granted: true } });
    try {
      expected = await pages(sim, 'u-alice');
      expectedCarol = await pages(sim, 'u-carol');
    } finally {
      await sim.close();
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('when the in-memory form serves the queries, then the pages hold every message, unusual lines included', () => {
    const all = expected.join('\n');
    for (const id of ['m-spaced', 'm-esc', 'm-utf8', 'm-meet', 'm-order', 'm-offset', 'm-tie-a', 'm-crlf']) expect(all).toContain(`"id":"${id}"`);
    expect(expected.every((p) => p.startsWith('200 '))).toBe(true);
  });

  it.each([
    ['with message layouts (pages written without scanning)', 64 << 20],
    ['without them (each line scanned as it is served)', 1],
  ])('when a folder is served %s, then every page is byte for byte the in-memory form’s', async (_name, layoutBytes) => {
    const sim = await startSimulator({ tenant: loadFixture(dir, { layoutBytes }), consent: { granted: true } });
    try {
      expect(await pages(sim, 'u-alice')).toEqual(expected);
    } finally {
      await sim.close();
    }
  });

  it('when the layout budget holds one mailbox and two are read in turn, then the first is evicted and still served the same', async () => {
    const oneMailbox = LAYOUT_WORDS * 2 * lines.length + 16;
    const sim = await startSimulator({ tenant: loadFixture(dir, { layoutBytes: oneMailbox }), consent: { granted: true } });
    try {
      expect(await pages(sim, 'u-alice')).toEqual(expected);
      expect(await pages(sim, 'u-carol')).toEqual(expectedCarol);
      expect(await pages(sim, 'u-alice')).toEqual(expected);
    } finally {
      await sim.close();
    }
  });

  it('when a page is sent as bytes, then its Content-Type is the one a text body gets', async () => {
    const sim = await startSimulator({ tenant: loadFixture(dir), consent: { granted: true } });
    try {
      const token = await sim.issueToken();
      const page = await fetch(`${sim.graphBaseUrl}/users/u-alice/messages?$select=id&$top=2`, { headers: { Authorization: `Bearer ${token}` } });
      const users = await fetch(`${sim.graphBaseUrl}/users?$select=id`, { headers: { Authorization: `Bearer ${token}` } });
      expect(page.headers.get('content-type')).toBe(users.headers.get('content-type'));
      expect(page.headers.get('content-length')).toBe(String(Buffer.byteLength(await page.text())));
    } finally {
      await sim.close();
    }
  });
});

describe('withUtf8Charset', () => {
  it.each([
    ['application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8', 'application/json; odata.metadata=minimal; odata.streaming=true; ieee754compatible=false; charset=utf-8'],
    ['Application/JSON', 'application/json; charset=utf-8'],
    ['text/plain; charset=latin1; a=b', 'text/plain; charset=utf-8; a=b'],
  ])('when the type is %s, then it becomes %s', (type, want) => {
    expect(withUtf8Charset(type)).toBe(want);
  });
});
