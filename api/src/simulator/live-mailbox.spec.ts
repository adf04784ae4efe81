/**
 * The live-mailbox fault: a mailbox that changes between the pages of a read. An offset
 * reader (following `@odata.nextLink`) misses items; a keyset reader reads every item that
 * stayed, so its counted messages equal a clean read's.
 */
import type { FixtureMessage, TenantFixtureInput } from './fixture';
import { startSimulator, type RunningSimulator } from './server';

type Page = { value: FixtureMessage[]; '@odata.nextLink'?: string; error?: { code: string } };

const FOLDERS = [
  { id: 'f-root', displayName: 'Top of Information Store', wellKnownName: 'msgfolderroot', parentFolderId: null },
  { id: 'f-inbox', displayName: 'Inbox', wellKnownName: 'inbox', parentFolderId: 'f-root' },
  { id: 'f-archive', displayName: 'Archive', wellKnownName: 'archive', parentFolderId: 'f-root' },
  { id: 'f-deleted', displayName: 'Deleted Items', wellKnownName: 'deleteditems', parentFolderId: 'f-root' },
  { id: 'f-sent', displayName: 'Sent Items', wellKnownName: 'sentitems', parentFolderId: 'f-root' },
  { id: 'f-drafts', displayName: 'Drafts', wellKnownName: 'drafts', parentFolderId: 'f-root' },
  { id: 'f-junk', displayName: 'Junk Email', wellKnownName: 'junkemail', parentFolderId: 'f-root' },
  { id: 'f-convhist', displayName: 'Conversation History', wellKnownName: 'conversationhistory', parentFolderId: 'f-root' },
  { id: 'f-teams', displayName: 'Team Chat', parentFolderId: 'f-convhist' },
  { id: 'f-hidden', displayName: 'TeamsMessagesData', parentFolderId: 'f-root', isHidden: true },
];

/** Folders whose items no rule counts (DESIGN.md §3), children included. */
const UNCOUNTED_FOLDERS = new Set(['f-drafts', 'f-junk', 'f-convhist', 'f-teams', 'f-hidden']);

/** The collector's rule, written out independently of the simulator. */
function isCounted(m: FixtureMessage): boolean {
  return !m['@odata.type']?.startsWith('#microsoft.graph.eventMessage') && m.isDraft !== true && !UNCOUNTED_FOLDERS.has(m.parentFolderId ?? '');
}

const START = Date.parse('2025-03-01T00:00:00Z');

/** 600 items, one an hour, in a realistic mix of counted and uncounted. */
function liveTenant(): TenantFixtureInput {
  const kinds: [string, Partial<FixtureMessage>][] = [
    ['f-inbox', {}],
    ['f-inbox', {}],
    ['f-inbox', { '@odata.type': '#microsoft.graph.eventMessageRequest' }],
    ['f-archive', {}],
    ['f-junk', {}],
    ['f-hidden', {}],
    ['f-sent', {}],
    ['f-teams', {}],
    ['f-deleted', {}],
    ['f-inbox', { '@odata.type': '#microsoft.graph.eventMessageResponse' }],
    ['f-drafts', { isDraft: true }],
    ['f-inbox', {}],
  ];
  const messages = Array.from({ length: 600 }, (_, i) => {
    const [folder, extra] = kinds[(i * 7) % kinds.length]!;
    const received = new Date(START + i * 3_600_000).toISOString();
    return {
      id: `m-${String(i).padStart(4, '0')}`,
      parentFolderId: folder,
      conversationId: `c-${i % 40}`,
      internetMessageId: `<m-${i}@fabrikam.com>`,
      isDraft: false,
      from: { emailAddress: { address: 'bob@fabrikam.com' } },
      toRecipients: [{ emailAddress: { address: 'alice@contoso.com' } }],
      sentDateTime: received,
      receivedDateTime: received,
      ...extra,
    };
  });
  return {
    organization: { id: '99999999-2222-3333-4444-555555555555', displayName: 'Contoso', verifiedDomains: [{ name: 'contoso.com', isDefault: true }] },
    users: [{ id: 'u-alice', displayName: 'Alice', mail: 'alice@contoso.com', userPrincipalName: 'alice@contoso.com', accountEnabled: true }],
    mailboxes: { 'u-alice': { mailFolders: FOLDERS, messages, events: [] } },
  };
}

const SELECT = 'id,internetMessageId,receivedDateTime,parentFolderId,isDraft';
const FROM = '2025-03-02T00:00:00.000Z';
const TO = '2025-03-25T00:00:00.000Z';

describe('live mailbox (churn fault)', () => {
  let sim: RunningSimulator;
  let token: string;

  beforeAll(async () => {
    sim = await startSimulator({ tenant: liveTenant(), consent: { granted: true } });
    token = await sim.issueToken();
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    sim.setFaults({});
    sim.resetStats();
  });

  const getPage = async (url: string): Promise<Page> => {
    const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
    const body = (await res.json()) as Page;
    expect(res.status).toBe(200);
    return body;
  };
  const first = (filter: string, top: number): string =>
    `${sim.graphBaseUrl}/users/u-alice/messages?$select=${SELECT}&$filter=${encodeURIComponent(filter)}&$orderby=receivedDateTime desc&$top=${top}`;

  /** Follows @odata.nextLink verbatim. */
  async function offsetRead(top: number): Promise<FixtureMessage[]> {
    const out: FixtureMessage[] = [];
    let url: string | undefined = first(`receivedDateTime ge ${FROM} and receivedDateTime lt ${TO}`, top);
    while (url) {
      const p = await getPage(url);
      out.push(...p.value);
      url = p['@odata.nextLink'];
    }
    return out;
  }

  /** Re-queries `le <last seen>` and dedupes ids, as DESIGN.md §5 asks. */
  async function keysetRead(top: number): Promise<FixtureMessage[]> {
    const byId = new Map<string, FixtureMessage>();
    let filter = `receivedDateTime ge ${FROM} and receivedDateTime lt ${TO}`;
    for (;;) {
      const p = await getPage(first(filter, top));
      const fresh = p.value.filter((m) => !byId.has(m.id));
      for (const m of p.value) byId.set(m.id, m);
      if (p.value.length < top || fresh.length === 0) return [...byId.values()];
      filter = `receivedDateTime ge ${FROM} and receivedDateTime le ${p.value[p.value.length - 1]!.receivedDateTime}`;
    }
  }

  const counted = (items: FixtureMessage[]): string[] => [...new Set(items.filter(isCounted).map((m) => m.internetMessageId!))].sort();

  it('when the mailbox churns, then an offset reader misses counted messages and a keyset reader reads exactly the clean set', async () => {
    // Arrange: a clean read
    const clean = counted(await keysetRead(50));
    expect(clean.length).toBeGreaterThan(200);
    // Act
    sim.setFaults({ seed: 5, churnRate: 0.2 });
    const offset = counted(await offsetRead(50));
    sim.setFaults({ seed: 5, churnRate: 0.2 });
    const keyset = counted(await keysetRead(50));
    // Assert
    expect(keyset).toEqual(clean);
    expect(offset.length).toBeLessThan(clean.length);
    expect(clean).toEqual(expect.arrayContaining(offset));
    expect(sim.stats().faultsInjected.churn).toBeGreaterThan(0);
  });

  it('when the mailbox churns, then moved messages keep their time, change id and land in another counted folder, and arrivals are uncounted items in the range', async () => {
    // Arrange
    const before = new Map((await keysetRead(200)).map((m) => [m.internetMessageId!, m]));
    sim.setFaults({ seed: 9, churnRate: 0.3 });
    await offsetRead(40);
    // Act: read what the mailbox holds now, in one page (its own churn comes after it is served)
    const after = (await getPage(first(`receivedDateTime ge ${FROM} and receivedDateTime lt ${TO}`, 1000))).value;
    // Assert
    const moved = after.filter((m) => before.has(m.internetMessageId!) && before.get(m.internetMessageId!)!.id !== m.id);
    const arrived = after.filter((m) => !before.has(m.internetMessageId!));
    const deleted = [...before.values()].filter((m) => !after.some((a) => a.internetMessageId === m.internetMessageId));
    expect(moved.length).toBeGreaterThan(0);
    expect(arrived.length).toBeGreaterThan(0);
    expect(deleted.length).toBeGreaterThan(0);
    for (const m of moved) {
      const was = before.get(m.internetMessageId!)!;
      expect(m.receivedDateTime).toBe(was.receivedDateTime);
      expect(isCounted(was) && isCounted(m)).toBe(true);
    }
    // (A message moved twice may be back in its first folder, under a third id.)
    expect(moved.filter((m) => m.parentFolderId !== before.get(m.internetMessageId!)!.parentFolderId).length).toBeGreaterThan(moved.length / 2);
    for (const m of arrived) {
      expect(isCounted(m)).toBe(false);
      expect(Date.parse(m.receivedDateTime) >= Date.parse(FROM) && Date.parse(m.receivedDateTime) < Date.parse(TO)).toBe(true);
    }
    for (const m of deleted) expect(isCounted(m)).toBe(false);
  });

  it('when setFaults is called again, then the mailbox is back to the fixture and the churn restarts the same way', async () => {
    const run = async (): Promise<string[]> => {
      sim.setFaults({ seed: 3, churnRate: 0.25 });
      return (await offsetRead(30)).map((m) => m.id);
    };
    const a = await run();
    const b = await run();
    expect(b).toEqual(a);
    sim.setFaults({});
    const clean = (await getPage(first(`receivedDateTime ge ${FROM} and receivedDateTime lt ${TO}`, 1000))).value;
    expect(clean.every((m) => m.id.startsWith('m-'))).toBe(true);
    sim.setFaults({ seed: 4, churnRate: 0.25 });
    expect((await offsetRead(30)).map((m) => m.id)).not.toEqual(a);
  });

  it('when a messages page is served inside $batch, then the mailbox churns too', async () => {
    sim.setFaults({ seed: 2, churnRate: 0.5 });
    const url = `/users/u-alice/messages?$select=id&$filter=${encodeURIComponent(`receivedDateTime ge ${FROM} and receivedDateTime lt ${TO}`)}&$top=100`;
    const res = await fetch(`${sim.graphBaseUrl}/$batch`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ requests: [{ id: '1', method: 'GET', url }] }),
    });
    const body = (await res.json()) as { responses: { status: number }[] };
    expect(body.responses[0]!.status).toBe(200);
    expect(sim.stats().faultsInjected.churn).toBeGreaterThan(0);
  });

  it('when churn is off, then pages are the fixture’s and nothing is counted as churn', async () => {
    const ids = (await offsetRead(100)).map((m) => m.id);
    expect(ids).toHaveLength(new Set(ids).size);
    expect(ids.every((id) => id.startsWith('m-'))).toBe(true);
    expect(sim.stats().faultsInjected.churn).toBe(0);
  });
});
