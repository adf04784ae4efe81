import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseGenerateArgs } from './cli-generate';
import { loadFixture, validateAllMailboxes, type FixtureEvent, type FixtureMailFolder, type TenantFixture } from './fixture';
import { generateTenant, type GeneratedTenant, type GenerateOptions } from './generator';
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

describe('generateTenant: what real mailboxes hold besides mail and meetings', () => {
  let g: GeneratedTenant;
  let fx: TenantFixture;
  let mailOf: Map<string, string>;
  beforeAll(() => {
    g = generateTenant(SMALL);
    fx = g.fixture!;
    mailOf = new Map(fx.users.map((u) => [u.id, (u.mail ?? '').toLowerCase()]));
  });
  const internal = (address: string | null | undefined): boolean => /@contoso(-labs)?\.com$/.test(address ?? '');
  const copies = () => Object.entries(fx.mailboxes).flatMap(([id, mb]) => mb.events.map((e) => ({ holder: mailOf.get(id)!, e })));
  const messagesWithFolders = () =>
    Object.entries(fx.mailboxes).flatMap(([id, mb]) => {
      const folders = new Map(mb.mailFolders.map((f) => [f.id, f]));
      return mb.messages.map((m) => ({ holder: mailOf.get(id)!, m, folder: folders.get(m.parentFolderId!)!, folders }));
    });
  const organizerOf = (e: FixtureEvent) => e.organizer?.emailAddress?.address ?? '';

  it('when calendars are generated, then every organizer copy says organizer and every attendee copy shows only none for the attendees', () => {
    const all = copies();
    const own = all.filter(({ holder, e }) => organizerOf(e) === holder);
    const theirs = all.filter(({ holder, e }) => organizerOf(e) !== holder);
    expect(own.length).toBeGreaterThan(50);
    expect(theirs.length).toBeGreaterThan(50);
    for (const { e } of own) expect(e.responseStatus?.response).toBe('organizer');
    for (const { e } of theirs) {
      expect(['accepted', 'tentativelyAccepted', 'declined', 'notResponded']).toContain(e.responseStatus?.response);
      for (const a of e.attendees ?? []) expect(a.status?.response).toBe('none');
    }
    // The organizer's copy shows real answers, customers' declines among them.
    const shown = own.flatMap(({ e }) => e.attendees ?? []);
    expect(shown.some((a) => a.status?.response === 'declined' && !internal(a.emailAddress?.address))).toBe(true);
    expect(shown.some((a) => a.status?.response === 'declined' && internal(a.emailAddress?.address))).toBe(true);
    expect(shown.some((a) => a.status?.response === 'none')).toBe(true);
    // Attendees answer differently on their own copies, declines kept among them.
    const answers = new Set(theirs.map(({ e }) => e.responseStatus?.response));
    expect([...answers].sort()).toEqual(['accepted', 'declined', 'notResponded', 'tentativelyAccepted']);
  });

  it('when an internal attendee declined, then some calendars no longer hold the meeting and some keep it as declined', () => {
    const all = copies();
    const held = new Set(all.map(({ holder, e }) => `${holder}|${e.iCalUId}`));
    const organizerDeclines = all
      .filter(({ holder, e }) => organizerOf(e) === holder)
      .flatMap(({ e }) => (e.attendees ?? []).filter((a) => a.status?.response === 'declined' && [...mailOf.values()].includes(a.emailAddress!.address!)).map((a) => `${a.emailAddress!.address}|${e.iCalUId}`));
    expect(organizerDeclines.some((k) => !held.has(k))).toBe(true);
    expect(all.some(({ holder, e }) => organizerOf(e) !== holder && e.responseStatus?.response === 'declined')).toBe(true);
    expect(g.summary.counts.declinedDeletedCopies).toBeGreaterThan(0);
    expect(g.summary.counts.declinedKeptCopies).toBeGreaterThan(0);
  });

  it('when a meeting is organised by a customer or cancelled, then only attendee copies exist', () => {
    const all = copies();
    const byCustomer = all.filter(({ e }) => !internal(organizerOf(e)));
    expect(byCustomer.length).toBeGreaterThan(0);
    for (const { e } of byCustomer) expect(e.responseStatus?.response).not.toBe('organizer');
    const cancelled = all.filter(({ e }) => e.isCancelled);
    expect(cancelled.length).toBeGreaterThan(0);
    for (const { holder, e } of cancelled) expect(organizerOf(e)).not.toBe(holder);
  });

  it('when meetings are generated, then invitations, responses and cancellations are message items of Graph\'s derived types', () => {
    const items = messagesWithFolders();
    const ofType = (t: string) => items.filter(({ m }) => m['@odata.type'] === t);
    const requests = ofType('#microsoft.graph.eventMessageRequest');
    const responses = ofType('#microsoft.graph.eventMessageResponse');
    const cancellations = ofType('#microsoft.graph.eventMessage');
    expect(requests.length).toBeGreaterThan(50);
    expect(responses.length).toBeGreaterThan(50);
    expect(cancellations.length).toBeGreaterThan(0);
    for (const { m } of [...requests, ...responses, ...cancellations]) expect(Date.parse(m.sentDateTime!)).toBeLessThan(NOW);
    // The organizer keeps the invitation in Sent Items; invitees receive it from the organizer.
    expect(requests.some(({ holder, m, folder }) => folder.wellKnownName === 'sentitems' && m.from?.emailAddress?.address === holder)).toBe(true);
    expect(requests.some(({ holder, m, folder }) => folder.wellKnownName === 'inbox' && m.from?.emailAddress?.address !== holder)).toBe(true);
    // Every attendee copy of a meeting an internal colleague organised comes with that colleague's invitation.
    for (const { holder, e } of copies().filter(({ holder, e }) => organizerOf(e) !== holder && internal(organizerOf(e)))) {
      expect(requests.some((r) => r.holder === holder && r.m.from?.emailAddress?.address === organizerOf(e))).toBe(true);
    }
    // Responses go to the organizer: customers' and colleagues' in the organizer's mailbox, one's own in Sent Items.
    for (const { m } of responses) expect(m.toRecipients).toHaveLength(1);
    expect(responses.some(({ holder, m }) => m.toRecipients![0]!.emailAddress!.address === holder && !internal(m.from?.emailAddress?.address))).toBe(true);
    expect(responses.some(({ holder, m, folder }) => m.from?.emailAddress?.address === holder && folder.wellKnownName === 'sentitems')).toBe(true);
    // Each has its own internetMessageId, never shared with an email.
    const mailIds = new Set(items.filter(({ m }) => !m['@odata.type']).map(({ m }) => m.internetMessageId));
    for (const { m } of [...requests, ...responses, ...cancellations]) expect(mailIds.has(m.internetMessageId)).toBe(false);
    // Answered invitations end up in Deleted Items too, where emails count: only the type tells them apart.
    expect(requests.some(({ folder }) => folder.wellKnownName === 'deleteditems')).toBe(true);
  });

  it('when chats are generated, then Teams chat items sit in a hidden folder and in Conversation History, with customers and colleagues, over the year', () => {
    const items = messagesWithFolders();
    const underHistory = (f: FixtureMailFolder | undefined, folders: Map<string, FixtureMailFolder>): boolean =>
      !!f && (f.wellKnownName === 'conversationhistory' || (!!f.parentFolderId && underHistory(folders.get(f.parentFolderId), folders)));
    const hidden = items.filter(({ folder }) => folder.isHidden === true && folder.displayName === 'TeamsMessagesData');
    const history = items.filter(({ folder, folders }) => underHistory(folder, folders));
    expect(hidden.length).toBeGreaterThan(100);
    expect(history.some(({ folder }) => folder.wellKnownName === 'conversationhistory')).toBe(true);
    expect(history.some(({ folder }) => folder.displayName === 'Team Chat')).toBe(true);
    const chats = [...hidden, ...history];
    for (const { m } of chats) expect(m['@odata.type']).toBeUndefined();
    expect(chats.some(({ m }) => !internal(m.from?.emailAddress?.address))).toBe(true); // a customer writing in a federated chat
    expect(chats.some(({ m }) => internal(m.from?.emailAddress?.address) && (m.toRecipients ?? []).every((r) => internal(r.emailAddress?.address)))).toBe(true);
    expect(new Set(chats.map(({ m }) => m.sentDateTime!.slice(0, 7))).size).toBeGreaterThanOrEqual(12);
    for (const { m } of chats) expect(Date.parse(m.sentDateTime!)).toBeLessThan(NOW);
  });

  it('when the directory is built, then a shared mailbox with customer mail is suggested directly, a leaver sits in a sales list, and lists carry org contacts', () => {
    const shared = fx.users.find((u) => u.mail === 'sales-team@contoso.com')!;
    expect(shared.accountEnabled).toBe(false);
    expect(g.suggestedOrg).toContain('sales-team@contoso.com');
    expect(g.sharedMailboxes).toEqual(['sales-team@contoso.com']);
    const mail = fx.mailboxes[shared.id]!.messages;
    expect(mail.length).toBeGreaterThan(50);
    expect(mail.some((m) => !internal(m.from?.emailAddress?.address) && !m['@odata.type'])).toBe(true); // customers write to it
    expect(mail.some((m) => (m.ccRecipients ?? []).some((r) => r.emailAddress?.address === shared.mail))).toBe(true); // sellers Cc it
    expect(mail.some((m) => m.from?.emailAddress?.address === shared.mail && m.sender?.emailAddress?.address !== shared.mail)).toBe(true); // sent on its behalf
    const salesLists = fx.groups.filter((g2) => /sales/i.test(g2.displayName));
    const leaver = fx.users.find((u) => u.accountEnabled === false && u.mail && u.id !== shared.id && salesLists.some((l) => l.members.includes(u.id)));
    expect(leaver).toBeDefined();
    expect(fx.contacts.length).toBeGreaterThan(0);
    const contactIds = new Set(fx.contacts.map((c) => c.id));
    expect(salesLists.filter((l) => l.members.some((m) => contactIds.has(m))).length).toBeGreaterThanOrEqual(2);
    for (const c of fx.contacts) expect(internal(c.mail)).toBe(false);
    expect(salesLists.find((l) => l.displayName === 'All Sales')!.members).toEqual(expect.arrayContaining([fx.groups.find((l) => l.displayName === 'US Sales')!.id, fx.groups.find((l) => l.displayName === 'EU Sales')!.id]));
  });

  it('when the summary is written, then it counts every new kind', () => {
    const c = g.summary.counts;
    for (const k of ['meetingRequests', 'meetingResponses', 'meetingCancellations', 'chatItems', 'chatHidden', 'chatConversationHistory', 'chatExternal', 'organizerCopies', 'attendeeCopies', 'customerDeclines', 'sharedMailboxMessages', 'orgContacts', 'groupContactMembers'] as const) {
      expect([k, c[k]]).toEqual([k, expect.any(Number)]);
      expect([k, c[k] > 0]).toEqual([k, true]);
    }
    const types = messagesWithFolders().filter(({ m }) => m['@odata.type']).length;
    expect(c.meetingRequests + c.meetingResponses + c.meetingCancellations).toBe(types);
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
    expect(JSON.parse(readFileSync(join(dir, 'generated.json'), 'utf8'))).toMatchObject({ parameters: { seed: 7, mailboxes: 10 }, suggestedOrg: g.suggestedOrg, summary: { messages: g.summary.messages } });
    expect(JSON.parse(readFileSync(join(dir, 'tenant.json'), 'utf8')).contacts).toHaveLength(g.summary.counts.orgContacts);
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
