/**
 * What a real mailbox and directory hold besides plain mail, served as Graph serves it:
 * derived message types, hidden folders and Conversation History, per-copy responses, org
 * contacts among group members, and `$filter` / `$orderby` rules (DESIGN.md §5, §6).
 */
import type { FixtureMessage, TenantFixtureInput } from './fixture';
import { startSimulator, type RunningSimulator } from './server';
import { tinyTenant } from './test-tenant';

type Json = Record<string, unknown> & { value?: Record<string, unknown>[]; error?: { code: string; message: string } };

const addr = (address: string): { emailAddress: { name: string; address: string } } => ({ emailAddress: { name: address.split('@')[0]!, address } });

/** The tiny tenant plus meeting messages, a Teams chat item, Conversation History, contacts and per-copy responses. */
function messyTenant(): TenantFixtureInput {
  const t = tinyTenant();
  const alice = t.mailboxes!['u-alice']!;
  alice.mailFolders = [
    ...alice.mailFolders!,
    { id: 'f-hidden-sub', displayName: 'TeamsMessagesData', parentFolderId: 'f-hidden', isHidden: true },
    { id: 'f-convhist', displayName: 'Conversation History', wellKnownName: 'conversationhistory', parentFolderId: null },
  ];
  const extra = (id: string, day: string, more: Record<string, unknown>): FixtureMessage => ({
    id,
    parentFolderId: 'f-inbox',
    conversationId: `c-${id}`,
    internetMessageId: `<${id}@contoso.com>`,
    isDraft: false,
    from: addr('bob@fabrikam.com'),
    toRecipients: [addr('alice@contoso.com')],
    sentDateTime: `2025-02-${day}T10:00:00Z`,
    receivedDateTime: `2025-02-${day}T10:00:02Z`,
    subject: 'Secret',
    ...more,
  }) as FixtureMessage;
  alice.messages = [
    ...alice.messages!,
    extra('m-invite', '01', { '@odata.type': '#microsoft.graph.eventMessageRequest' }),
    extra('m-chat', '02', { parentFolderId: 'f-hidden-sub' }),
    extra('m-plain', '03', { '@odata.type': '#microsoft.graph.message' }),
    extra('m-cancel', '04', { '@odata.type': '#microsoft.graph.eventMessage', parentFolderId: 'f-convhist' }),
  ];
  const ev = (id: string, organizer: string, attendees: unknown[], more: Record<string, unknown> = {}): Record<string, unknown> => ({
    id,
    iCalUId: `ical-${id}`,
    type: 'singleInstance',
    isCancelled: false,
    isAllDay: false,
    organizer: addr(organizer),
    attendees,
    start: { dateTime: '2025-04-01T09:00:00', timeZone: 'UTC' },
    end: { dateTime: '2025-04-01T09:30:00', timeZone: 'UTC' },
    ...more,
  });
  const att = (address: string, response: string): unknown => ({ type: 'required', status: { response, time: '2025-03-30T08:00:00Z' }, emailAddress: { address } });
  alice.events = [
    ...alice.events!,
    ev('e-own', 'ALICE@contoso.com', [att('bob@fabrikam.com', 'accepted')]),
    ev('e-listed', 'bob@fabrikam.com', [att('alice@contoso.com', 'tentativelyAccepted')]),
    ev('e-group', 'bob@fabrikam.com', [att('eusales@contoso.com', 'none')]),
    ev('e-stated', 'bob@fabrikam.com', [att('alice@contoso.com', 'none')], { responseStatus: { response: 'declined', time: '2025-03-31T07:00:00Z' } }),
  ] as typeof alice.events;
  t.contacts = [{ id: 'c-partner', displayName: 'Partner', mail: 'partner@fabrikam.com' }];
  t.groups!.find((g) => g.id === 'g-eu')!.members = ['u-carol', 'c-partner', 'u-dave'];
  return t;
}

describe('Graph realism over HTTP', () => {
  let sim: RunningSimulator;
  let token: string;
  const get = async (path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Json }> => {
    const res = await fetch(`${sim.graphBaseUrl}${path}`, { headers: { Authorization: `Bearer ${token}`, ...headers } });
    return { status: res.status, body: (await res.json()) as Json };
  };
  const FEB = encodeURIComponent('receivedDateTime ge 2025-02-01T00:00:00Z and receivedDateTime lt 2025-03-01T00:00:00Z');

  beforeAll(async () => {
    sim = await startSimulator({ tenant: messyTenant(), consent: { granted: true } });
    token = await sim.issueToken();
  });
  afterAll(() => sim.close());

  describe('derived message types', () => {
    it('when meeting messages are listed under $select, then they carry their @odata.type and plain messages none', async () => {
      const r = await get(`/users/u-alice/messages?$select=id,receivedDateTime&$filter=${FEB}`);
      expect(r.status).toBe(200);
      const byId = Object.fromEntries(r.body.value!.map((m) => [m.id, m]));
      expect(byId['m-invite']).toEqual({ '@odata.type': '#microsoft.graph.eventMessageRequest', id: 'm-invite', receivedDateTime: '2025-02-01T10:00:02Z' });
      expect(byId['m-cancel']!['@odata.type']).toBe('#microsoft.graph.eventMessage');
      expect(byId['m-plain']).toEqual({ id: 'm-plain', receivedDateTime: '2025-02-03T10:00:02Z' });
      expect(byId['m-chat']).not.toHaveProperty('@odata.type');
      expect(JSON.stringify(r.body)).not.toMatch(/secret/i);
    });
  });

  describe('hidden folders and Conversation History', () => {
    const SEL = '$select=id,displayName,parentFolderId,childFolderCount,isHidden';

    it('when top-level folders are listed with includeHiddenFolders, then the hidden folder comes with isHidden, and not without it', async () => {
      const plain = await get(`/users/u-alice/mailFolders?${SEL}&$top=50`);
      expect(plain.body.value!.map((f) => f.id)).not.toContain('f-hidden');
      const all = await get(`/users/u-alice/mailFolders?includeHiddenFolders=true&${SEL}&$top=50`);
      expect(all.body.value!.find((f) => f.id === 'f-hidden')).toEqual({ id: 'f-hidden', displayName: 'Hidden', parentFolderId: 'msgfolderroot-u-alice', childFolderCount: 1, isHidden: true });
      expect(all.body.value!.find((f) => f.id === 'f-inbox')).toMatchObject({ isHidden: false });
    });

    it('when the child folders of a hidden folder are listed, then hidden children need includeHiddenFolders too', async () => {
      expect((await get(`/users/u-alice/mailFolders/f-hidden/childFolders?${SEL}`)).body.value).toEqual([]);
      const all = await get(`/users/u-alice/mailFolders/f-hidden/childFolders?includeHiddenFolders=true&${SEL}`);
      expect(all.body.value!.map((f) => f.id)).toEqual(['f-hidden-sub']);
    });

    it('when conversationhistory is asked by its well-known name, then it resolves, and a mailbox without one answers 404 ErrorItemNotFound', async () => {
      expect((await get('/users/u-alice/mailFolders/conversationhistory?$select=id')).body).toMatchObject({ id: 'f-convhist' });
      const missing = await get('/users/u-carol/mailFolders/conversationhistory?$select=id');
      expect(missing.status).toBe(404);
      expect(missing.body.error!.code).toBe('ErrorItemNotFound');
    });

    it('when messages are listed, then items in hidden folders and Conversation History are among them', async () => {
      const ids = (await get(`/users/u-alice/messages?$select=id,parentFolderId&$filter=${FEB}`)).body.value!.map((m) => m.id);
      expect(ids).toEqual(expect.arrayContaining(['m-chat', 'm-cancel']));
    });
  });

  describe('calendarView responseStatus', () => {
    const view = (sel: string): Promise<{ status: number; body: Json }> =>
      get(`/users/u-alice/calendarView?startDateTime=2025-03-31T00:00:00Z&endDateTime=2025-04-02T00:00:00Z&$select=${sel}`);

    it('when responseStatus is selected, then each copy has one: stated, organizer, own attendee entry or none', async () => {
      const r = await view('id,responseStatus');
      expect(r.status).toBe(200);
      const byId = Object.fromEntries(r.body.value!.map((e) => [e.id, e.responseStatus]));
      expect(byId).toEqual({
        'e-own': { response: 'organizer', time: '0001-01-01T00:00:00Z' },
        'e-listed': { response: 'tentativelyAccepted', time: '2025-03-30T08:00:00Z' },
        'e-group': { response: 'none', time: '0001-01-01T00:00:00Z' },
        'e-stated': { response: 'declined', time: '2025-03-31T07:00:00Z' },
      });
    });

    it('when the collector’s full event $select is sent, then it is accepted', async () => {
      const r = await view('id,iCalUId,type,seriesMasterId,isCancelled,isAllDay,organizer,attendees,responseStatus,start,end');
      expect(r.status).toBe(200);
      expect(Object.keys(r.body.value![0]!).sort()).toEqual(['attendees', 'end', 'iCalUId', 'id', 'isAllDay', 'isCancelled', 'organizer', 'responseStatus', 'seriesMasterId', 'start', 'type']);
    });
  });

  describe('org contacts among group members', () => {
    it('when transitive members are listed without a cast, then the contact comes as #microsoft.graph.orgContact without user-only fields', async () => {
      const r = await get('/groups/g-eu/transitiveMembers?$select=id,mail,userPrincipalName,accountEnabled');
      expect(r.status).toBe(200);
      expect(r.body.value!.find((o) => o.id === 'c-partner')).toEqual({ '@odata.type': '#microsoft.graph.orgContact', id: 'c-partner', mail: 'partner@fabrikam.com' });
    });

    it('when members are cast to users, then the contact is left out; cast to orgContact, only it comes', async () => {
      const H = { ConsistencyLevel: 'eventual' };
      const users = await get('/groups/g-eu/transitiveMembers/microsoft.graph.user?$select=id&$count=true', H);
      expect(users.body.value!.map((u) => u.id).sort()).toEqual(['u-carol', 'u-dave']);
      const contacts = await get('/groups/g-eu/members/microsoft.graph.orgContact?$select=id,displayName&$count=true', H);
      expect(contacts.body).toMatchObject({ '@odata.count': 1, value: [{ '@odata.type': '#microsoft.graph.orgContact', id: 'c-partner', displayName: 'Partner' }] });
    });
  });

  describe('messages $filter and $orderby', () => {
    const q = (filter: string, extra = ''): string => `/users/u-alice/messages?$select=id,receivedDateTime&$filter=${encodeURIComponent(filter)}${extra}`;

    it('when sorted by receivedDateTime desc with the range filter, then newest come first', async () => {
      const r = await get(q('receivedDateTime ge 2025-01-10T00:00:00Z and receivedDateTime lt 2025-01-13T00:00:00Z', '&$orderby=receivedDateTime desc'));
      expect(r.body.value!.map((m) => m.id)).toEqual(['m-12', 'm-11', 'm-10']);
    });

    it('when the next keyset page is asked with le the last seen time, then the last seen item comes again and nothing newer', async () => {
      const r = await get(q('receivedDateTime ge 2025-01-01T00:00:00Z and receivedDateTime le 2025-01-05T10:00:02.000Z', '&$orderby=receivedDateTime desc&$top=2'));
      expect(r.body.value!.map((m) => m.id)).toEqual(['m-05', 'm-04']);
    });

    it('when gt and lt bounds are given, then both ends are exclusive', async () => {
      const r = await get(q('receivedDateTime gt 2025-01-10T10:00:02Z and receivedDateTime lt 2025-01-12T10:00:02Z'));
      expect(r.body.value!.map((m) => m.id)).toEqual(['m-11']);
    });

    it('when receivedDateTime is not first in $filter, then $orderby is refused with 400 InefficientFilter, and without $orderby it passes', async () => {
      const filter = 'isDraft eq false and receivedDateTime ge 2025-01-20T00:00:00Z';
      const refused = await get(q(filter, '&$orderby=receivedDateTime desc'));
      expect(refused.status).toBe(400);
      expect(refused.body.error).toMatchObject({ code: 'InefficientFilter', message: 'The restriction or sort order is too complex for this operation.' });
      const ok = await get(q(filter, '&$top=3'));
      expect(ok.status).toBe(200);
      expect(ok.body.value!.map((m) => m.id)).toEqual(['m-20', 'm-21', 'm-22']);
    });

    it('when other clauses follow the range, then they filter and paging still covers them once', async () => {
      let url: string | undefined = `${sim.graphBaseUrl}${q("receivedDateTime ge 2025-01-01T00:00:00Z and parentFolderId eq 'f-sent'", '&$orderby=receivedDateTime desc&$top=2')}`;
      const ids: unknown[] = [];
      while (url) {
        const res = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
        const body = (await res.json()) as Json;
        ids.push(...body.value!.map((m) => m.id));
        url = body['@odata.nextLink'] as string | undefined;
      }
      expect(ids).toEqual(['m-21', 'm-16', 'm-11', 'm-06', 'm-01']);
    });
  });
});
