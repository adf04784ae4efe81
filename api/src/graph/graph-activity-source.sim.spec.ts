/**
 * Integration: GraphActivitySource against the in-process Graph simulator (api/src/simulator),
 * over real HTTP on 127.0.0.1, with the OAuth client-credentials exchange it serves.
 */
import type { SelectedMailbox } from '../engagement/types';
import { DEMO_CLIENT, RAPPORT_ROLES, type RunningSimulator, type TenantFixtureInput, startSimulator } from '../simulator';
import { createGraphClient } from './client';
import { createCredential, grantedRoles, missingPermissions } from './credentials';
import { GraphActivitySource } from './graph-activity-source';
import { ConcurrencyLimiter } from './limiter';
import { EVENT_FIELDS, MESSAGE_FIELDS } from './select';

const DAY = 86_400_000;
const T0 = Date.parse('2025-06-01T00:00:00Z');

function fixture(): TenantFixtureInput {
  const folders = [
    { id: 'root', displayName: 'Top of Information Store', wellKnownName: 'msgfolderroot', parentFolderId: null },
    { id: 'inbox', displayName: 'Inbox', wellKnownName: 'inbox', parentFolderId: 'root' },
    { id: 'junk', displayName: 'Junk Email', wellKnownName: 'junkemail', parentFolderId: 'root' },
    { id: 'junk-sub', displayName: 'Sub', parentFolderId: 'junk' },
    { id: 'drafts', displayName: 'Drafts', wellKnownName: 'drafts', parentFolderId: 'root' },
    { id: 'outbox', displayName: 'Outbox', wellKnownName: 'outbox', parentFolderId: 'root' },
    { id: 'sync', displayName: 'Sync Issues', wellKnownName: 'syncissues', parentFolderId: 'root' },
    { id: 'conflicts', displayName: 'Conflicts', parentFolderId: 'sync' },
    { id: 'conflicts-deep', displayName: 'Deep', parentFolderId: 'conflicts' },
    // Teams keeps chats in Conversation History and in a hidden folder, and /messages lists them.
    { id: 'history', displayName: 'Conversation History', wellKnownName: 'conversationhistory', parentFolderId: 'root' },
    { id: 'team-chat', displayName: 'Team Chat', parentFolderId: 'history' },
    { id: 'teams-data', displayName: 'TeamsMessagesData', parentFolderId: 'root', isHidden: true },
    { id: 'archive', displayName: 'Archive', parentFolderId: 'root' },
    { id: 'hidden-in-archive', displayName: 'Hidden', parentFolderId: 'archive', isHidden: true },
  ];
  const messages = Array.from({ length: 2500 }, (_, i) => ({
    id: `m${i}`,
    parentFolderId: i % 10 === 0 ? 'junk-sub' : 'inbox',
    conversationId: `c${i % 50}`,
    internetMessageId: `<m${i}@fabrikam.com>`,
    isDraft: false,
    from: { emailAddress: { address: 'buyer@fabrikam.com' } },
    toRecipients: [{ emailAddress: { address: 'alice@contoso.com' } }],
    sentDateTime: new Date(T0 + i * 3_600_000).toISOString(),
    receivedDateTime: new Date(T0 + i * 3_600_000 + 2000).toISOString(),
    subject: 'confidential subject',
    body: { contentType: 'text', content: 'confidential body' },
  }));
  const utc = (ms: number) => ({ dateTime: new Date(ms).toISOString().replace('Z', ''), timeZone: 'UTC' });
  const events = Array.from({ length: 30 }, (_, i) => ({
    id: `e${i}`,
    iCalUId: `ical-${i}`,
    type: 'singleInstance' as const,
    isCancelled: false,
    isAllDay: false,
    organizer: { emailAddress: { address: 'alice@contoso.com' } },
    attendees: [{ type: 'required', status: { response: 'accepted' }, emailAddress: { address: 'buyer@fabrikam.com' } }],
    start: utc(T0 + i * DAY),
    end: utc(T0 + i * DAY + 1_800_000),
    subject: 'confidential meeting',
  }));
  return {
    organization: { id: 'tenant-sim', displayName: 'Contoso', verifiedDomains: [{ name: 'contoso.com', isDefault: true }] },
    users: [
      { id: 'u1', displayName: 'Alice', mail: 'alice@contoso.com', userPrincipalName: 'alice@contoso.com', accountEnabled: true },
      { id: 'u2', displayName: 'Bob', mail: 'bob@contoso.com', userPrincipalName: 'bob@contoso.com', accountEnabled: true },
      { id: 'u3', displayName: 'Carol', mail: 'carol@contoso.com', userPrincipalName: 'carol@contoso.com', accountEnabled: false },
      { id: 'u4', displayName: 'Dave', mail: null, userPrincipalName: 'dave@contoso.com', accountEnabled: true },
    ],
    groups: [
      // A cycle: sales contains inner, inner contains sales.
      { id: 'g1', displayName: 'Sales', mail: 'sales@contoso.com', mailEnabled: true, securityEnabled: false, groupTypes: [], members: ['u2', 'g2'] },
      // A disabled user (a leaver) and an org contact are members too.
      { id: 'g2', displayName: 'Inner', mail: 'inner@contoso.com', mailEnabled: true, securityEnabled: false, groupTypes: [], members: ['u3', 'u4', 'g1', 'c1'] },
    ],
    contacts: [{ id: 'c1', displayName: 'Partner', mail: 'partner@northwind.com' }],
    mailboxes: {
      u1: { mailFolders: folders, messages, events },
      u2: { mailFolders: folders.slice(0, 2), messages: messages.slice(0, 5), events: [] },
    },
  };
}

describe('GraphActivitySource against the simulator', () => {
  let sim: RunningSimulator;
  const alice: SelectedMailbox = { id: 'u1', mail: 'alice@contoso.com' };

  beforeAll(async () => {
    sim = await startSimulator({ tenant: fixture(), consent: { granted: true } });
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.setFaults({}));

  function source(overrides: { limiter?: ConcurrencyLimiter } = {}) {
    const credential = createCredential({ tenantId: sim.tenantId, clientId: DEMO_CLIENT.clientId, clientSecret: DEMO_CLIENT.clientSecret, authorityHost: sim.url });
    const client = createGraphClient({ credential, baseUrl: sim.graphBaseUrl, retry: { baseDelayMs: 5, maxDelayMs: 50, maxRetries: 8 } });
    return new GraphActivitySource({ client, limiter: overrides.limiter ?? new ConcurrencyLimiter() });
  }

  async function drain<T>(it: AsyncIterable<T[]>): Promise<T[][]> {
    const pages: T[][] = [];
    for await (const p of it) pages.push(p);
    return pages;
  }

  it('when the app token is read, then the consented least-privilege roles are granted and nothing is missing', async () => {
    const credential = createCredential({ tenantId: sim.tenantId, clientId: DEMO_CLIENT.clientId, clientSecret: DEMO_CLIENT.clientSecret, authorityHost: sim.url });
    const roles = await grantedRoles(credential, sim.graphBaseUrl);
    expect([...roles].sort()).toEqual([...RAPPORT_ROLES].sort());
    expect(missingPermissions(roles)).toEqual([]);
  });

  it('when the organization and the configured entries are resolved, then S follows the group (cycle included, contact and leaver left out), keeps a disabled user named directly, and reports the rest', async () => {
    const src = source();
    // Rapport's four roles cannot read /organization: the domains come from the member users.
    await expect(src.organization()).resolves.toEqual({ id: '', displayName: '', verifiedDomains: ['contoso.com'] });
    const r = await src.resolveMailboxes(['alice@contoso.com', 'sales@contoso.com', 'carol@contoso.com', 'dave@contoso.com', 'ghost@contoso.com']);
    expect(r.entries.map((e) => [e.input, e.kind])).toEqual([
      ['alice@contoso.com', 'user'],
      ['sales@contoso.com', 'group'],
      ['carol@contoso.com', 'user'],
      ['dave@contoso.com', 'unusable'],
      ['ghost@contoso.com', 'unknown'],
    ]);
    expect(r.mailboxes.map((m) => m.id)).toEqual(['u1', 'u2', 'u3']);
    // Through the group alone, Carol (disabled) is left out.
    const viaGroup = await src.resolveMailboxes(['sales@contoso.com', 'alice@contoso.com']);
    expect(viaGroup.mailboxes.map((m) => m.id)).toEqual(['u1', 'u2']);
    expect(viaGroup.entries[0]).toMatchObject({ kind: 'group', memberCount: 1 });
  });

  it('when the excluded folders are read, then the well-known ones, Conversation History, hidden folders at any depth and all their subfolders come back', async () => {
    const { excluded: ids, all } = await source().folderScan(alice);
    expect(all.size).toBe(13); // every folder under the root, the counted ones (inbox, archive) too
    expect(all.has('inbox') && all.has('archive')).toBe(true);
    expect([...ids].sort()).toEqual(['conflicts', 'conflicts-deep', 'drafts', 'hidden-in-archive', 'history', 'junk', 'junk-sub', 'outbox', 'sync', 'team-chat', 'teams-data']);
  });

  it('when a year of mail is read, then every message comes once, in pages of at most 1000, with allow-listed fields only', async () => {
    const src = source();
    const pages = await drain(src.messagePages(alice, new Date(T0), new Date(T0 + 2500 * 3_600_000)));
    const all = pages.flat();
    expect(pages.length).toBeGreaterThanOrEqual(3);
    expect(pages.every((p) => p.length <= 1000)).toBe(true);
    expect(new Set(all.map((m) => m.id)).size).toBe(2500);
    for (const m of all) expect(Object.keys(m).every((k) => (MESSAGE_FIELDS as readonly string[]).includes(k))).toBe(true);
    expect(JSON.stringify(all)).not.toContain('confidential');
  });

  it('when the calendar is read, then instances starting in the range come back with allow-listed fields only', async () => {
    const events = (await drain(source().eventPages(alice, new Date(T0 + 10 * DAY), new Date(T0 + 20 * DAY)))).flat();
    expect(events.map((e) => e.id).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `e${i + 10}`).sort());
    for (const e of events) expect(Object.keys(e).every((k) => (EVENT_FIELDS as readonly string[]).includes(k))).toBe(true);
    expect(events[0]!.start?.timeZone).toBe('UTC');
  });

  it('when the simulator throttles, fails and drops connections, then retries still collect every message exactly once', async () => {
    sim.setFaults({ seed: 7, rate429: 0.15, rate503: 0.1, rate504: 0.05, rateDrop: 0.05, retryAfterSeconds: 0.01, retryAfter503Seconds: 0.01 });
    const src = source();
    const all = (await drain(src.messagePages(alice, new Date(T0), new Date(T0 + 2500 * 3_600_000)))).flat();
    const { excluded: folders } = await src.folderScan(alice);
    expect(new Set(all.map((m) => m.id)).size).toBe(2500);
    expect(all).toHaveLength(2500);
    expect(folders.size).toBe(11);
    const stats = src.stats();
    expect(stats.retries).toBeGreaterThan(0);
    expect(stats.throttleWaits).toBeGreaterThan(0);
    expect(stats.requests).toBeGreaterThan(stats.retries);
  });

  it('when the mailbox changes between pages (items deleted, moved with new ids, arriving), then every counted message that stays is read once', async () => {
    // Arrange: a clean read, then a read while the simulator's live mailbox churns 5 % per page.
    const range = [new Date(T0), new Date(T0 + 2500 * 3_600_000)] as const;
    const counted = async (src: GraphActivitySource) => {
      const { excluded } = await src.folderScan(alice);
      const items = (await drain(src.messagePages(alice, ...range))).flat();
      return items.filter((m) => !excluded.has(m.parentFolderId ?? '') && !m['@odata.type']).map((m) => m.internetMessageId);
    };
    const clean = await counted(source());
    sim.setFaults({ seed: 3, churnRate: 0.05 });
    // Act
    const churned = await counted(source());
    // Assert: the churn happened, and no counted message was missed or read twice.
    expect(sim.stats().faultsInjected.churn).toBeGreaterThan(0);
    expect(churned.length).toBe(clean.length);
    expect(new Set(churned)).toEqual(new Set(clean));
  });

  it('when a mailbox is not enabled for REST, then that mailbox fails with the Graph code and the others still work', async () => {
    sim.setFaults({ mailboxNotEnabled: ['u2'] });
    const src = source();
    await expect(drain(src.messagePages({ id: 'u2', mail: 'bob@contoso.com' }, new Date(T0), new Date(T0 + DAY)))).rejects.toMatchObject({
      code: 'GRAPH_MAILBOX_UNAVAILABLE',
      details: { mailbox: 'bob@contoso.com', graphCode: 'MailboxNotEnabledForRESTAPI' },
    });
    expect((await drain(src.messagePages(alice, new Date(T0), new Date(T0 + DAY)))).flat()).toHaveLength(24);
  });

  it('when many reads of one mailbox run at once, then the simulator never sees more than 4 concurrent requests for it', async () => {
    sim.setFaults({ latencyMs: 20, mailboxConcurrencyLimit: 4 });
    sim.resetStats();
    const src = source({ limiter: new ConcurrencyLimiter({ perKey: 4, global: 16 }) });
    await Promise.all(Array.from({ length: 12 }, (_, i) => drain(src.eventPages(alice, new Date(T0 + i * DAY), new Date(T0 + (i + 1) * DAY)))));
    expect(sim.stats().byStatus[429] ?? 0).toBe(0);
    expect(src.stats().retries).toBe(0);
  });
});
