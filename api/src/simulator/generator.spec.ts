import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseGenerateArgs } from './cli-generate';
import { loadFixture, validateAllMailboxes, type TenantFixture } from './fixture';
import { generateTenant, type GenerateOptions } from './generator';
import { startSimulator } from './server';

const SMALL: GenerateOptions = { mailboxes: 10, accounts: 40, days: 365, seed: 7, now: '2026-01-15T00:00:00Z', messagesPerMailbox: 400, meetingsPerMailbox: 80 };
const NOW = Date.parse('2026-01-15T00:00:00Z');
const DAY = 86_400_000;

describe('generateTenant', () => {
  let fx: TenantFixture;
  beforeAll(() => {
    fx = generateTenant(SMALL).fixture!;
  });
  const allMessages = () => Object.values(fx.mailboxes).flatMap((m) => m.messages);
  const allEvents = () => Object.values(fx.mailboxes).flatMap((m) => m.events);

  it('when generated twice with the same seed and now, then the output is identical; another seed differs', () => {
    const again = generateTenant(SMALL);
    expect(JSON.stringify(again.fixture)).toBe(JSON.stringify(fx));
    const other = generateTenant({ ...SMALL, seed: 8 });
    expect(JSON.stringify(other.fixture)).not.toBe(JSON.stringify(fx));
  });

  it('when the directory is built, then it has a verified domain, nested groups, a cycle, a disabled user, a user without mail and a noreply mailbox', () => {
    expect(fx.organization.verifiedDomains.find((d) => d.isDefault)?.name).toBe('contoso.com');
    const byName = Object.fromEntries(fx.groups.map((g) => [g.displayName, g]));
    expect(byName['All Sales']!.members).toEqual(expect.arrayContaining([byName['US Sales']!.id, byName['EU Sales']!.id]));
    expect(byName['Sales Leadership']!.members).toContain(byName['Sales Ops']!.id);
    expect(byName['Sales Ops']!.members).toContain(byName['Sales Leadership']!.id);
    expect(fx.users.some((u) => u.accountEnabled === false && u.mail)).toBe(true);
    expect(fx.users.some((u) => !u.mail)).toBe(true);
    expect(fx.users.some((u) => u.mail === 'noreply@contoso.com')).toBe(true);
    expect(fx.users.some((u) => u.mail?.endsWith('@contoso-labs.com'))).toBe(true);
  });

  it('when mail is generated, then drafts, Bcc on sender copies only, DL copies, junk subfolder, deleted items, threads and newsletters all occur', () => {
    const msgs = allMessages();
    expect(msgs.filter((m) => m.isDraft).length).toBeGreaterThan(5);
    const bcc = msgs.filter((m) => (m.bccRecipients ?? []).length > 0);
    expect(bcc.length).toBeGreaterThan(5);
    // A Bcc'd copy is only ever the sender's (its folder is Sent Items).
    for (const [userId, mb] of Object.entries(fx.mailboxes)) {
      const sent = mb.mailFolders.find((f) => f.wellKnownName === 'sentitems')?.id;
      for (const m of mb.messages) if ((m.bccRecipients ?? []).length > 0) expect([sent, userId && m.parentFolderId === sent ? sent : 'x']).toContain(m.parentFolderId);
    }
    const copies = new Map<string, number>();
    for (const m of msgs) copies.set(m.internetMessageId!, (copies.get(m.internetMessageId!) ?? 0) + 1);
    const multi = [...copies.values()].filter((n) => n >= 3);
    expect(multi.length).toBeGreaterThan(5); // distribution-list mail lands in several mailboxes
    const folderName = new Map(Object.values(fx.mailboxes).flatMap((mb) => mb.mailFolders.map((f) => [f.id, f.displayName])));
    const byFolder = (name: string) => msgs.filter((m) => folderName.get(m.parentFolderId!) === name).length;
    expect(byFolder('Junk Email')).toBeGreaterThan(0);
    expect(byFolder('Spam Review')).toBeGreaterThan(0);
    expect(byFolder('Deleted Items')).toBeGreaterThan(0);
    expect(byFolder('Customers')).toBeGreaterThan(0);
    const convs = new Map<string, number>();
    for (const m of msgs) convs.set(m.conversationId!, (convs.get(m.conversationId!) ?? 0) + 1);
    expect([...convs.values()].some((n) => n >= 4)).toBe(true);
    expect(msgs.some((m) => /^no-?reply@/.test(m.from?.emailAddress?.address ?? ''))).toBe(true);
    expect(msgs.every((m) => typeof m.subject === 'string')).toBe(true);
    expect(msgs.every((m) => Date.parse(m.sentDateTime ?? m.receivedDateTime) < NOW)).toBe(true);
  });

  it('when meetings are generated, then occurrences, exceptions, cancellations, all-day, declined, rooms, shared and upcoming meetings occur', () => {
    const evs = allEvents();
    const occ = evs.filter((e) => e.type === 'occurrence');
    expect(occ.length).toBeGreaterThan(50);
    expect(occ.every((e) => e.seriesMasterId)).toBe(true);
    expect(new Set(occ.map((e) => e.iCalUId)).size).toBeGreaterThan(occ.length / 5); // per-instance iCalUId
    expect(evs.filter((e) => e.type === 'exception').length).toBeGreaterThan(0);
    expect(evs.filter((e) => e.isCancelled).length).toBeGreaterThan(0);
    expect(evs.filter((e) => e.isAllDay).length).toBeGreaterThan(0);
    expect(evs.filter((e) => e.attendees?.some((a) => a.status?.response === 'declined')).length).toBeGreaterThan(0);
    expect(evs.filter((e) => e.attendees?.some((a) => a.type === 'resource')).length).toBeGreaterThan(0);
    const holders = new Map<string, number>();
    for (const e of evs) holders.set(e.iCalUId!, (holders.get(e.iCalUId!) ?? 0) + 1);
    expect([...holders.values()].some((n) => n > 1)).toBe(true);
    const starts = evs.map((e) => Date.parse(`${e.start.dateTime.slice(0, 19)}Z`));
    expect(starts.some((s) => s >= NOW)).toBe(true);
    expect(starts.every((s) => s < NOW + 90 * DAY)).toBe(true);
    expect(evs.some((e) => !e.organizer?.emailAddress?.address?.endsWith('contoso.com'))).toBe(true);
  });

  it('when customers are generated, then contacts include freemail, subdomains and an ambiguous shared domain, and activity varies by account', () => {
    const g = generateTenant(SMALL);
    const { counts, tiers } = g.summary;
    expect(counts.freemailContacts).toBeGreaterThan(0);
    expect(counts.subdomainContacts).toBeGreaterThan(0);
    expect(counts.ambiguousDomains).toBeGreaterThanOrEqual(2);
    expect(g.contacts.some((c) => c.email.endsWith('@gmail.com') || c.email.endsWith('@outlook.com') || c.email.endsWith('@yahoo.com') || c.email.includes('@gmx.') || c.email.includes('@hotmail.') || c.email.endsWith('@icloud.com'))).toBe(true);
    expect(Object.values(tiers).every((n) => n > 0)).toBe(true);
    // Never-contacted accounts get no counted traffic at all: no non-draft, non-junk mail from or to them.
    const never = new Set(g.contacts.filter((c) => g.accounts.find((a) => a.account_id === c.account_id) && c.email).map((c) => c.email));
    expect(never.size).toBeGreaterThan(0);
    expect(counts).toMatchObject({ drafts: expect.any(Number), bccCopies: expect.any(Number) });
    expect(counts.dlCopies).toBeGreaterThan(0);
    expect(counts.occurrences).toBeGreaterThan(0);
    expect(counts.declined).toBeGreaterThan(0);
    expect(counts.resourceAttendees).toBeGreaterThan(0);
  });
});

describe('generateTenant to a folder', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rapport-gen-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('when written as a folder, then it loads, validates, and the simulator serves it without ever leaking subjects', async () => {
    const g = generateTenant({ ...SMALL, out: dir });
    expect(readFileSync(join(dir, 'customers', 'contacts.csv'), 'utf8').split('\n')[0]).toBe('email,account_id,account_name');
    expect(readFileSync(join(dir, 'customers', 'accounts.csv'), 'utf8').split('\n')[0]).toBe('account_id,name,website');
    expect(JSON.parse(readFileSync(join(dir, 'generated.json'), 'utf8'))).toMatchObject({ parameters: { seed: 7, mailboxes: 10 }, summary: { messages: g.summary.messages } });
    const store = loadFixture(dir);
    await validateAllMailboxes(store);
    const sim = await startSimulator({ tenant: store, consent: { granted: true } });
    try {
      const token = await sim.issueToken();
      const seller = store.users[0]!;
      let url: string | undefined = `${sim.graphBaseUrl}/users/${seller.id}/messages?$select=id,from,internetMessageId,receivedDateTime&$top=1000`;
      let n = 0;
      while (url) {
        const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
        const text = await res.text();
        expect(res.status).toBe(200);
        expect(text).not.toMatch(/"subject"/);
        const body = JSON.parse(text) as { value: unknown[]; '@odata.nextLink'?: string };
        n += body.value.length;
        url = body['@odata.nextLink'];
      }
      expect(n).toBe((await store.mailbox(seller.id)).messageCount);
    } finally {
      await sim.close();
    }
  }, 30_000);
});

describe('tenant:generate arguments', () => {
  it('when flags are valid, then they map to options', () => {
    expect(parseGenerateArgs(['--mailboxes', '500', '--accounts', '300', '--days', '365', '--seed', '4', '--out', '/tmp/x', '--now', '2026-01-01T00:00:00Z', '--messages-per-mailbox', '100'])).toEqual({
      mailboxes: 500,
      accounts: 300,
      days: 365,
      seed: 4,
      out: '/tmp/x',
      now: '2026-01-01T00:00:00Z',
      messagesPerMailbox: 100,
    });
  });

  it('when --out is missing or a number is bad, then a USAGE error names the flag', () => {
    expect(() => parseGenerateArgs(['--mailboxes', '5'])).toThrow(/--out/);
    expect(() => parseGenerateArgs(['--out', 'x', '--mailboxes', 'many'])).toThrow(/--mailboxes/);
    expect(() => parseGenerateArgs(['--out', 'x', '--bogus'])).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });
});
