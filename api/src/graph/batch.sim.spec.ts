/**
 * Integration: `$batch` through the Graph simulator over real HTTP: the folder scan batched
 * and one by one give the same folders, with fewer requests, also when members are throttled.
 */
import type { SelectedMailbox } from '../engagement/types';
import { DEMO_CLIENT, type RunningSimulator, type TenantFixtureInput, startSimulator } from '../simulator';
import { GraphBatch } from './batch';
import { createGraphClient } from './client';
import { createCredential } from './credentials';
import { GraphActivitySource } from './graph-activity-source';
import { ConcurrencyLimiter } from './limiter';

function fixture(): TenantFixtureInput {
  const folders = [
    { id: 'root', displayName: 'Top of Information Store', wellKnownName: 'msgfolderroot', parentFolderId: null },
    { id: 'inbox', displayName: 'Inbox', wellKnownName: 'inbox', parentFolderId: 'root' },
    { id: 'junk', displayName: 'Junk Email', wellKnownName: 'junkemail', parentFolderId: 'root' },
    { id: 'junk-sub', displayName: 'Sub', parentFolderId: 'junk' },
    { id: 'drafts', displayName: 'Drafts', wellKnownName: 'drafts', parentFolderId: 'root' },
    { id: 'outbox', displayName: 'Outbox', wellKnownName: 'outbox', parentFolderId: 'root' },
    { id: 'history', displayName: 'Conversation History', wellKnownName: 'conversationhistory', parentFolderId: 'root' },
    { id: 'team-chat', displayName: 'Team Chat', parentFolderId: 'history' },
    { id: 'teams-data', displayName: 'TeamsMessagesData', parentFolderId: 'root', isHidden: true },
    { id: 'archive', displayName: 'Archive', parentFolderId: 'root' },
  ];
  const user = (id: string, name: string) => ({ id, displayName: name, mail: `${name.toLowerCase()}@contoso.com`, userPrincipalName: `${name.toLowerCase()}@contoso.com`, accountEnabled: true });
  return {
    organization: { id: 'tenant-sim', displayName: 'Contoso', verifiedDomains: [{ name: 'contoso.com', isDefault: true }] },
    users: [user('u1', 'Alice'), user('u2', 'Bob')],
    groups: [],
    contacts: [],
    // Alice has no Sync Issues folder (Graph: 404 ErrorFolderNotFound); Bob has no well-known folder at all.
    mailboxes: { u1: { mailFolders: folders, messages: [], events: [] }, u2: { mailFolders: folders.slice(0, 2), messages: [], events: [] } },
  };
}

describe('$batch against the simulator', () => {
  let sim: RunningSimulator;
  const alice: SelectedMailbox = { id: 'u1', mail: 'alice@contoso.com' };
  const bob: SelectedMailbox = { id: 'u2', mail: 'bob@contoso.com' };

  beforeAll(async () => {
    sim = await startSimulator({ tenant: fixture(), consent: { granted: true } });
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.setFaults({}));

  function client() {
    const credential = createCredential({ tenantId: sim.tenantId, clientId: DEMO_CLIENT.clientId, clientSecret: DEMO_CLIENT.clientSecret, authorityHost: sim.url });
    return createGraphClient({ credential, baseUrl: sim.graphBaseUrl, retry: { baseDelayMs: 5, maxDelayMs: 50, maxRetries: 10, maxRetryAfterMs: 10 } });
  }
  const sorted = (s: Set<string>) => [...s].sort();

  it('when the folder scan is batched, then it finds the same folders as one by one, in 2 requests where it took 6', async () => {
    for (const mailbox of [alice, bob]) {
      const plain = new GraphActivitySource({ client: client(), batch: false });
      const batched = new GraphActivitySource({ client: client() });
      const one = await plain.folderScan(mailbox);
      const two = await batched.folderScan(mailbox);
      expect(sorted(two.excluded)).toEqual(sorted(one.excluded));
      expect(sorted(two.all)).toEqual(sorted(one.all));
      // Only the top level's first page moved into the batch; its child levels are read as before.
      expect(plain.stats().requests - batched.stats().requests).toBe(4);
    }
    const scan = await new GraphActivitySource({ client: client() }).folderScan(alice);
    expect(sorted(scan.excluded)).toEqual(['drafts', 'history', 'junk', 'junk-sub', 'outbox', 'team-chat', 'teams-data']);
  });

  it('when members are throttled (429 and 503 with Retry-After), then only they are retried and the scan is unchanged', async () => {
    const want = await new GraphActivitySource({ client: client(), batch: false }).folderScan(alice);
    sim.setFaults({ seed: 7, rate429: 0.3, rate503: 0.2, retryAfterSeconds: 1, retryAfter503Seconds: 1 });
    const source = new GraphActivitySource({ client: client() });
    const got = await source.folderScan(alice);
    expect(sorted(got.excluded)).toEqual(sorted(want.excluded));
    expect(sorted(got.all)).toEqual(sorted(want.all));
    const injected = sim.stats().faultsInjected;
    expect(injected['429'] + injected['503']).toBeGreaterThan(0);
    expect(source.stats().throttleWaits).toBe(injected['429'] + injected['503']);
  });

  it('when one batch carries 4 members of each of two mailboxes, then the simulator’s per-mailbox limit is never exceeded', async () => {
    sim.setFaults({ latencyMs: 20 });
    const c = client();
    const batch = new GraphBatch(c, new ConcurrencyLimiter());
    const names = ['junkemail', 'drafts', 'outbox', 'conversationhistory', 'syncissues'];
    const requests = [alice, bob].flatMap((m) => names.map((n) => ({ key: m.id, url: c.buildUrl(`/users/${m.id}/mailFolders/${n}`, { $select: 'id' }) })));
    const before = sim.stats().httpRequests;
    const got = await batch.getAll(requests);
    expect(sim.stats().httpRequests - before).toBe(2);
    expect(sim.stats().faultsInjected.concurrency).toBe(0);
    expect(got.map((o) => o.ok)).toEqual([true, true, true, true, false, false, false, false, false, false]);
    expect(got.filter((o) => !o.ok).every((o) => (o as { error: { details: { status: number } } }).error.details.status === 404)).toBe(true);
  });
});
