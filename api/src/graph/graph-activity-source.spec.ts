import type { ServerResponse } from 'node:http';
import type { SelectedMailbox } from '../engagement/types';
import { AppError } from '../errors';
import { type Stub, type StubRequest, delay, graphError, json, pathOf, queryOf, recordingSleep, startStub, staticCredential } from './__tests__/stub-graph';
import { createGraphClient } from './client';
import { GraphActivitySource, type GraphSourceLogEntry } from './graph-activity-source';
import { ConcurrencyLimiter } from './limiter';
import { EVENT_FIELDS, FORBIDDEN_FIELDS, MESSAGE_FIELDS } from './select';

const users = [
  { id: 'u1', mail: 'alice@contoso.com', userPrincipalName: 'alice@contoso.com', accountEnabled: true, displayName: 'Alice' },
  { id: 'u2', mail: 'bob@contoso.com', userPrincipalName: 'bob.upn@contoso.onmicrosoft.com', accountEnabled: true, displayName: 'Bob' },
  { id: 'u3', mail: 'carol@contoso.com', userPrincipalName: 'carol@contoso.com', accountEnabled: false, displayName: 'Carol' },
  { id: 'u4', mail: null, userPrincipalName: 'dave@contoso.com', accountEnabled: true, displayName: 'Dave' },
  { id: 'u5', mail: 'erin@contoso.com', userPrincipalName: 'erin@contoso.com', accountEnabled: true, displayName: 'Erin' },
  { id: 'u6', mail: 'frank@contoso.com', userPrincipalName: 'frank@contoso.com', accountEnabled: false, displayName: 'Frank' },
];
const groups = [{ id: 'g1', displayName: 'Sales', mail: 'sales@contoso.com' }];
const forbiddenPattern = new RegExp(`\\b(${FORBIDDEN_FIELDS.join('|')})\\b`, 'i');

const alice: SelectedMailbox = { id: 'u1', mail: 'alice@contoso.com' };
const message = (id: string) => ({
  id,
  conversationId: `c-${id}`,
  internetMessageId: `<${id}@x>`,
  isDraft: false,
  parentFolderId: 'inbox',
  from: { emailAddress: { address: 'x@fabrikam.com', name: 'X' } },
  toRecipients: [{ emailAddress: { address: 'alice@contoso.com' } }],
  sentDateTime: '2026-01-05T10:00:00Z',
  receivedDateTime: '2026-01-05T10:00:02Z',
  subject: 'secret subject',
  body: { contentType: 'html', content: 'secret body' },
  bodyPreview: 'secret',
  internetMessageHeaders: [{ name: 'X', value: 'y' }],
});

describe('GraphActivitySource against a loopback Graph stub', () => {
  let stub: Stub;
  let route: (req: StubRequest, res: ServerResponse) => void | Promise<void>;
  let logs: GraphSourceLogEntry[];

  beforeEach(async () => {
    route = defaultRoute;
    logs = [];
    stub = await startStub((req, res) => route(req, res));
  });
  afterEach(async () => {
    // The privacy guard holds for every request every test made.
    for (const req of stub.requests) expect(decodeURIComponent(req.url)).not.toMatch(forbiddenPattern);
    await stub.close();
  });

  function source(limiter = new ConcurrencyLimiter()) {
    const client = createGraphClient({ credential: staticCredential(), baseUrl: stub.baseUrl, sleep: recordingSleep(), random: () => 1 });
    return new GraphActivitySource({ client, limiter, log: (e) => logs.push(e) });
  }

  function defaultRoute(req: StubRequest, res: ServerResponse): void {
    const path = pathOf(req.url).replace(/^\/v1\.0/, '');
    const q = queryOf(req.url);
    const mailEq = /^mail eq '(.*)'$/.exec(q.get('$filter') ?? '')?.[1]?.replace(/''/g, "'");
    if (path === '/organization') {
      return json(res, 200, { value: [{ id: 'tenant-1', displayName: 'Contoso', verifiedDomains: [{ name: 'Contoso.com' }, { name: 'contoso.onmicrosoft.com' }] }] });
    }
    const userEq = /^mail eq '(.*)' or userPrincipalName eq '(.*)'$/.exec(q.get('$filter') ?? '')?.[1]?.replace(/''/g, "'");
    if (path === '/users') return json(res, 200, { value: users.filter((u) => u.mail === userEq || u.userPrincipalName === userEq) });
    const user = /^\/users\/([^/]+)$/.exec(path);
    if (user) {
      const key = decodeURIComponent(user[1]!);
      const found = users.find((u) => u.id === key || u.userPrincipalName === key);
      return found ? json(res, 200, found) : graphError(res, 404, 'Request_ResourceNotFound');
    }
    if (path === '/groups') return json(res, 200, { value: groups.filter((g) => g.mail === mailEq) });
    if (path === '/groups/g1/transitiveMembers/microsoft.graph.user') {
      // An advanced query: Graph refuses the cast without both (https://learn.microsoft.com/graph/aad-advanced-queries).
      if (req.headers.consistencylevel !== 'eventual' || q.get('$count') !== 'true') return graphError(res, 400, 'Request_UnsupportedQuery');
      const byId = (...ids: string[]) => ids.map((id) => users.find((u) => u.id === id));
      if (q.get('$skiptoken') === 'p2') return json(res, 200, { value: byId('u4', 'u5', 'u6') });
      return json(res, 200, { value: byId('u5', 'u1'), '@odata.nextLink': `${stub.baseUrl}/groups/g1/transitiveMembers/microsoft.graph.user?$count=true&$skiptoken=p2` });
    }
    return graphError(res, 404, 'Request_ResourceNotFound');
  }

  describe('organization', () => {
    it('when the organization is read, then id, name and normalised verified domains come back', async () => {
      await expect(source().organization()).resolves.toEqual({ id: 'tenant-1', displayName: 'Contoso', verifiedDomains: ['contoso.com', 'contoso.onmicrosoft.com'] });
    });

    it('when /organization is denied (no Organization.Read.All), then the domains of member users are used and guests are skipped', async () => {
      // Arrange
      route = (req, res) => {
        const path = pathOf(req.url).replace(/^\/v1\.0/, '');
        if (path === '/organization') return graphError(res, 403, 'Authorization_RequestDenied');
        if (path === '/users' && !queryOf(req.url).get('$filter')) {
          if (queryOf(req.url).get('$skiptoken') === 'p2') return json(res, 200, { value: [{ id: 'u9', mail: 'Ann@Sub.Fabrikam-Group.com', userPrincipalName: 'ann@fabrikamgroup.onmicrosoft.com' }] });
          return json(res, 200, {
            value: [
              { id: 'u1', mail: 'alice@contoso.com', userPrincipalName: 'alice@contoso.com', userType: 'Member' },
              { id: 'u2', mail: null, userPrincipalName: 'svc@contoso.onmicrosoft.com' },
              { id: 'u3', mail: 'guest@gmail.com', userPrincipalName: 'guest_gmail.com#EXT#@contoso.onmicrosoft.com', userType: 'Guest' },
              { id: 'u4', mail: 'partner@northwind.com', userPrincipalName: 'partner_northwind.com#EXT#@contoso.onmicrosoft.com' },
            ],
            '@odata.nextLink': `${stub.baseUrl}/users?$skiptoken=p2`,
          });
        }
        return graphError(res, 404, 'Request_ResourceNotFound');
      };
      // Act
      const org = await source().organization();
      // Assert
      expect(org).toEqual({ id: '', displayName: '', verifiedDomains: ['contoso.com', 'contoso.onmicrosoft.com', 'fabrikamgroup.onmicrosoft.com', 'sub.fabrikam-group.com'] });
      expect(stub.requests.some((r) => /\/users\?.*userType/.test(decodeURIComponent(r.url)))).toBe(true);
    });

    it('when the users cannot be read either, then the access error is thrown', async () => {
      route = (_req, res) => graphError(res, 403, 'Authorization_RequestDenied');
      await expect(source().organization()).rejects.toMatchObject({ code: 'GRAPH_ACCESS_DENIED' });
    });
  });

  describe('resolveMailboxes', () => {
    it('when users, a group, unknown, disabled and mail-less entries are given, then S holds users with mail, a disabled one only when named directly', async () => {
      // Act
      const result = await source().resolveMailboxes([
        'sales@contoso.com',
        ' Alice@Contoso.com ',
        'bob.upn@contoso.onmicrosoft.com',
        'nobody@contoso.com',
        'carol@contoso.com',
        'dave@contoso.com',
        'not an address',
      ]);
      // Assert
      expect(result.entries).toEqual([
        { input: 'sales@contoso.com', kind: 'group', id: 'g1', displayName: 'Sales', mail: 'sales@contoso.com', memberCount: 2 },
        { input: ' Alice@Contoso.com ', kind: 'user', id: 'u1', displayName: 'Alice', mail: 'alice@contoso.com' },
        { input: 'bob.upn@contoso.onmicrosoft.com', kind: 'user', id: 'u2', displayName: 'Bob', mail: 'bob@contoso.com' },
        { input: 'nobody@contoso.com', kind: 'unknown' },
        { input: 'carol@contoso.com', kind: 'user', id: 'u3', displayName: 'Carol', mail: 'carol@contoso.com', signInDisabled: true },
        { input: 'dave@contoso.com', kind: 'unusable', id: 'u4', reason: 'noMail' },
        { input: 'not an address', kind: 'unknown' },
      ]);
      expect(result.mailboxes).toEqual([
        { id: 'u1', mail: 'alice@contoso.com' },
        { id: 'u2', mail: 'bob@contoso.com', otherAddresses: ['bob.upn@contoso.onmicrosoft.com'] },
        { id: 'u3', mail: 'carol@contoso.com' },
        { id: 'u5', mail: 'erin@contoso.com' },
      ]);
      // The group's members were read with the user cast as an advanced query, the allow-listed $select, and both pages;
      // its disabled member (u6, a leaver) is dropped.
      const memberReqs = stub.requests.filter((r) => r.url.includes('transitiveMembers'));
      expect(memberReqs).toHaveLength(2);
      expect(queryOf(memberReqs[0]!.url).get('$select')).toBe('id,mail,userPrincipalName,accountEnabled,displayName');
      expect(memberReqs.every((r) => r.headers.consistencylevel === 'eventual')).toBe(true);
    });

    it('when a group lists an org contact, a device and a nested group despite the cast, then only users become mailboxes', async () => {
      route = (req, res) => {
        const path = pathOf(req.url).replace(/^\/v1\.0/, '');
        if (path === '/users') return json(res, 200, { value: [] });
        if (path === '/groups') return json(res, 200, { value: groups });
        return json(res, 200, {
          value: [
            { '@odata.type': '#microsoft.graph.orgContact', id: 'c1', mail: 'partner@northwind.com' },
            { '@odata.type': '#microsoft.graph.device', id: 'd1' },
            { '@odata.type': '#microsoft.graph.group', id: 'g2', mail: 'nested@contoso.com' },
            { '@odata.type': '#microsoft.graph.user', ...users[0] },
            users[4],
          ],
        });
      };
      const result = await source().resolveMailboxes(['sales@contoso.com']);
      expect(result.mailboxes.map((m) => m.id)).toEqual(['u1', 'u5']);
    });

    it('when the directory fails, then the failure is thrown, not reported as unknown', async () => {
      route = (_req, res) => graphError(res, 403, 'Authorization_RequestDenied');
      await expect(source().resolveMailboxes(['alice@contoso.com'])).rejects.toMatchObject({ code: 'GRAPH_ACCESS_DENIED' });
    });
  });

  describe('messagePages', () => {
    /** A mailbox served newest first in pages of `pageSize`, honouring the `lt` bound of the filter. */
    function keysetRoute(items: { id: string; at: string }[], pageSize: number) {
      return (req: StubRequest, res: ServerResponse) => {
        const q = queryOf(req.url);
        const before = Date.parse(/receivedDateTime lt (\S+)$/.exec(q.get('$filter') ?? '')?.[1] ?? '');
        const offset = Number(q.get('$skip') ?? 0);
        const matching = items.filter((m) => Date.parse(m.at) < before).sort((a, b) => Date.parse(b.at) - Date.parse(a.at) || (a.id < b.id ? 1 : -1));
        const value = matching.slice(offset, offset + pageSize).map((m) => ({ ...message(m.id), receivedDateTime: m.at }));
        const more = offset + pageSize < matching.length;
        json(res, 200, { value, ...(more ? { '@odata.nextLink': `${stub.origin}${req.url.replace(/&\$skip=\d+/, '')}&$skip=${offset + pageSize}` } : {}) });
      };
    }

    it('when messages span pages, then each page is a new query bounded by the oldest second seen, newest first, with the allow-listed $select', async () => {
      // Arrange: five messages a minute apart, served two by two.
      const at = (minute: number) => `2025-06-01T10:0${minute}:07Z`;
      route = keysetRoute([1, 2, 3, 4, 5].map((i) => ({ id: `m${i}`, at: at(i) })), 2);
      // Act
      const pages = await drain(source().messagePages(alice, new Date('2025-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z')));
      // Assert
      // Each query reads the last second of the one before again (m4, m3, m2), and only new items come out.
      expect(pages.map((p) => p.map((m) => m.id))).toEqual([['m5', 'm4'], ['m3'], ['m2'], ['m1']]);
      for (const m of pages.flat()) {
        expect(Object.keys(m).every((k) => (MESSAGE_FIELDS as readonly string[]).includes(k))).toBe(true);
        expect(JSON.stringify(m)).not.toContain('secret');
      }
      const filters = stub.requests.map((r) => queryOf(r.url).get('$filter'));
      expect(filters).toEqual([
        'receivedDateTime ge 2025-01-01T00:00:00.000Z and receivedDateTime lt 2026-01-01T00:00:00.000Z',
        'receivedDateTime ge 2025-01-01T00:00:00.000Z and receivedDateTime lt 2025-06-01T10:04:08.000Z',
        'receivedDateTime ge 2025-01-01T00:00:00.000Z and receivedDateTime lt 2025-06-01T10:03:08.000Z',
        'receivedDateTime ge 2025-01-01T00:00:00.000Z and receivedDateTime lt 2025-06-01T10:02:08.000Z',
      ]);
      for (const r of stub.requests) {
        expect(pathOf(r.url)).toBe('/v1.0/users/u1/messages');
        expect(queryOf(r.url).get('$select')).toBe(MESSAGE_FIELDS.join(','));
        expect(queryOf(r.url).get('$orderby')).toBe('receivedDateTime desc');
        expect(queryOf(r.url).get('$top')).toBe('1000');
      }
    });

    it('when more than a page of messages share one second, then the nextLink is followed past them and each message comes once', async () => {
      const items = [
        { id: 'a', at: '2025-06-01T10:00:05Z' },
        { id: 'b', at: '2025-06-01T10:00:05Z' },
        { id: 'c', at: '2025-06-01T10:00:05Z' },
        { id: 'd', at: '2025-06-01T10:00:05Z' },
        { id: 'e', at: '2025-06-01T09:00:00Z' },
      ];
      route = keysetRoute(items, 2);
      const ids = (await drain(source().messagePages(alice, new Date('2025-01-01T00:00:00Z'), new Date('2025-06-01T10:00:06Z')))).flat().map((m) => m.id);
      expect(ids.sort()).toEqual(['a', 'b', 'c', 'd', 'e']);
    });

    it('when items before the cursor vanish between pages, then no message that stays is missed (an offset reader would skip one)', async () => {
      // Arrange: after the first page, the two newest items are deleted (retention, an emptied folder).
      const items = [1, 2, 3, 4, 5, 6].map((i) => ({ id: `m${i}`, at: `2025-06-01T10:0${i}:00Z` }));
      const serve = keysetRoute(items, 2);
      let served = 0;
      route = (req, res) => {
        serve(req, res);
        if (++served === 1) items.splice(items.length - 2, 2); // m5 and m6, the newest
      };
      // Act
      const ids = (await drain(source().messagePages(alice, new Date('2025-01-01T00:00:00Z'), new Date('2026-01-01T00:00:00Z')))).flat().map((m) => m.id);
      // Assert: m4..m1 stayed in the mailbox for the whole read, and all of them came.
      expect(ids).toEqual(['m6', 'm5', 'm4', 'm3', 'm2', 'm1']);
    });

    it('when a page is malformed, then the mailbox fails with an UnexpectedPayload code', async () => {
      route = (_req, res) => json(res, 200, { value: [{ id: 42 }] });
      await expect(drain(source().messagePages(alice, new Date(0), new Date(1)))).rejects.toMatchObject({
        code: 'GRAPH_REQUEST_FAILED',
        details: { graphCode: 'UnexpectedPayload', mailbox: 'alice@contoso.com' },
      });
    });

    it('when the mailbox is not enabled for REST, then it fails at once as GRAPH_MAILBOX_UNAVAILABLE naming the mailbox and the Graph code', async () => {
      route = (_req, res) => graphError(res, 404, 'MailboxNotEnabledForRESTAPI');
      const error = await drain(source().messagePages(alice, new Date(0), new Date(1))).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({
        code: 'GRAPH_MAILBOX_UNAVAILABLE',
        details: { mailbox: 'alice@contoso.com', mailboxId: 'u1', graphCode: 'MailboxNotEnabledForRESTAPI', status: 404 },
      });
      expect((error as Error).message).toContain('alice@contoso.com');
      expect(stub.requests).toHaveLength(1);
      expect(logs).toEqual([{ kind: 'mailboxFailed', mailboxId: 'u1', operation: 'messagePages', code: 'GRAPH_MAILBOX_UNAVAILABLE', graphCode: 'MailboxNotEnabledForRESTAPI' }]);
    });

    it('when access to the mailbox is denied, then it fails as GRAPH_ACCESS_DENIED with ErrorAccessDenied', async () => {
      route = (_req, res) => graphError(res, 403, 'ErrorAccessDenied');
      await expect(drain(source().messagePages(alice, new Date(0), new Date(1)))).rejects.toMatchObject({
        code: 'GRAPH_ACCESS_DENIED',
        details: { mailbox: 'alice@contoso.com', graphCode: 'ErrorAccessDenied', status: 403 },
      });
    });

    it('when many pages are read for several mailboxes at once, then no mailbox ever has more than 4 requests in flight', async () => {
      // Arrange
      const inFlight = new Map<string, number>();
      const maxInFlight = new Map<string, number>();
      let total = 0;
      let maxTotal = 0;
      route = async (req, res) => {
        const id = pathOf(req.url).split('/')[3]!;
        inFlight.set(id, (inFlight.get(id) ?? 0) + 1);
        total += 1;
        maxInFlight.set(id, Math.max(maxInFlight.get(id) ?? 0, inFlight.get(id)!));
        maxTotal = Math.max(maxTotal, total);
        await delay(15);
        inFlight.set(id, inFlight.get(id)! - 1);
        total -= 1;
        json(res, 200, { value: [message('m')] });
      };
      const src = source(new ConcurrencyLimiter({ perKey: 4, global: 10 }));
      const mailboxes = ['a', 'b', 'c'].map((id) => ({ id, mail: `${id}@contoso.com` }));
      // Act
      await Promise.all(mailboxes.flatMap((m) => Array.from({ length: 10 }, () => drain(src.messagePages(m, new Date(0), new Date(1))))));
      // Assert
      expect([...maxInFlight.values()].every((n) => n <= 4)).toBe(true);
      expect(Math.max(...maxInFlight.values())).toBe(4);
      expect(maxTotal).toBeLessThanOrEqual(10);
      expect(src.stats().requests).toBe(30);
    });
  });

  describe('folderScan', () => {
    it('when the tree holds excluded well-known folders, hidden folders at any depth and one missing folder, then those and their descendants are returned', async () => {
      // Arrange: hidden folders are listed only with includeHiddenFolders=true (https://learn.microsoft.com/graph/api/user-list-mailfolders).
      const tree: Record<string, { id: string; childFolderCount?: number; isHidden?: boolean }[]> = {
        '': [
          { id: 'inbox', childFolderCount: 1 },
          { id: 'junk', childFolderCount: 0 },
          { id: 'drafts', childFolderCount: 0 },
          { id: 'sync', childFolderCount: 1 },
          { id: 'hist', childFolderCount: 1 },
          { id: 'teams', childFolderCount: 0, isHidden: true },
          { id: 'archive', childFolderCount: 0 },
        ],
        inbox: [{ id: 'projects', childFolderCount: 1 }],
        projects: [{ id: 'hidden-deep', childFolderCount: 1, isHidden: true }],
        'hidden-deep': [{ id: 'under-hidden', childFolderCount: 0 }],
        sync: [{ id: 'conflicts', childFolderCount: 1 }, { id: 'local' }],
        conflicts: [{ id: 'deep', childFolderCount: 0 }, { id: 'sync', childFolderCount: 1 }], // a cycle, defensively
        hist: [{ id: 'team-chat', childFolderCount: 0 }],
      };
      route = (req, res) => {
        const path = pathOf(req.url).replace('/v1.0/users/u1/mailFolders', '').replace(/^\//, '');
        const wellKnown: Record<string, string> = { junkemail: 'junk', drafts: 'drafts', syncissues: 'sync', conversationhistory: 'hist' };
        if (wellKnown[path]) return json(res, 200, { id: wellKnown[path] });
        if (path === 'outbox') return graphError(res, 404, 'ErrorItemNotFound');
        if (queryOf(req.url).get('includeHiddenFolders') !== 'true') return json(res, 200, { value: [] });
        const parent = path.replace(/\/childFolders$/, '');
        const children = tree[parent] ?? [];
        // The top level comes in two pages.
        if (parent === '' && queryOf(req.url).get('$skiptoken') !== '2') return json(res, 200, { value: children.slice(0, 3), '@odata.nextLink': `${stub.origin}${req.url}&$skiptoken=2` });
        return json(res, 200, { value: parent === '' ? children.slice(3) : children });
      };
      // Act
      const { excluded: ids, all } = await source().folderScan(alice);
      // Assert
      expect([...all].sort()).toEqual(['archive', 'conflicts', 'deep', 'drafts', 'hidden-deep', 'hist', 'inbox', 'junk', 'local', 'projects', 'sync', 'team-chat', 'teams', 'under-hidden']);
      expect([...ids].sort()).toEqual(['conflicts', 'deep', 'drafts', 'hidden-deep', 'hist', 'junk', 'local', 'sync', 'team-chat', 'teams', 'under-hidden']);
      const listed = stub.requests.filter((r) => queryOf(r.url).get('includeHiddenFolders') === 'true');
      expect(listed.every((r) => queryOf(r.url).get('$select') === 'id,childFolderCount,isHidden')).toBe(true);
      // Folders without children are never asked for them.
      expect(stub.requests.some((r) => r.url.includes('/archive/childFolders') || r.url.includes('/teams/childFolders'))).toBe(false);
    });

    it('when a well-known folder 404s because the mailbox is not enabled, then that is a mailbox failure, not a missing folder', async () => {
      route = (_req, res) => graphError(res, 404, 'MailboxNotEnabledForRESTAPI');
      await expect(source().folderScan(alice)).rejects.toMatchObject({
        code: 'GRAPH_MAILBOX_UNAVAILABLE',
        details: { mailbox: 'alice@contoso.com', graphCode: 'MailboxNotEnabledForRESTAPI' },
      });
    });
  });

  describe('eventPages', () => {
    it('when the range is longer than 1825 days, then calendarView is read in chunks with the allow-listed $select, UTC preference, and each instance once', async () => {
      // Arrange
      const start = new Date('2020-01-01T00:00:00Z');
      const end = new Date(start.getTime() + 2000 * 86_400_000);
      const boundary = new Date(start.getTime() + 1825 * 86_400_000);
      route = (req, res) => {
        const windowStart = queryOf(req.url).get('startDateTime')!;
        const iso = (d: string) => new Date(d).toISOString().replace('Z', '').replace('.000', '.0000000');
        const ev = (id: string, at: string) => ({ id, iCalUId: id, subject: 'secret', bodyPreview: 'secret', start: { dateTime: iso(at), timeZone: 'UTC' }, end: { dateTime: iso(at), timeZone: 'UTC' } });
        // The spanning event overlaps both windows, as calendarView reports it; it starts in the first.
        const spanning = ev('spanning', new Date(boundary.getTime() - 3_600_000).toISOString());
        if (windowStart === start.toISOString()) return json(res, 200, { value: [ev('early', '2020-02-01T09:00:00Z'), spanning] });
        return json(res, 200, { value: [spanning, ev('late', new Date(boundary.getTime() + 86_400_000).toISOString())] });
      };
      // Act
      const pages = [];
      for await (const page of source().eventPages(alice, start, end)) pages.push(page);
      // Assert
      expect(pages.flat().map((e) => e.id)).toEqual(['early', 'spanning', 'late']);
      expect(pages.flat().every((e) => Object.keys(e).every((k) => (EVENT_FIELDS as readonly string[]).includes(k)))).toBe(true);
      expect(stub.requests.map((r) => [queryOf(r.url).get('startDateTime'), queryOf(r.url).get('endDateTime')])).toEqual([
        [start.toISOString(), boundary.toISOString()],
        [boundary.toISOString(), end.toISOString()],
      ]);
      for (const r of stub.requests) {
        expect(pathOf(r.url)).toBe('/v1.0/users/u1/calendarView');
        expect(queryOf(r.url).get('$select')).toBe(EVENT_FIELDS.join(','));
        expect(queryOf(r.url).get('$top')).toBe('1000');
        expect(r.headers.prefer).toBe('outlook.timezone="UTC"');
      }
    });
  });

  describe('stats', () => {
    it('when two sources share a client, then each counts from zero', async () => {
      const client = createGraphClient({ credential: staticCredential(), baseUrl: stub.baseUrl });
      const first = new GraphActivitySource({ client });
      await first.organization();
      const second = new GraphActivitySource({ client });
      await second.organization();
      await second.organization();
      expect(first.stats().requests).toBe(3);
      expect(second.stats()).toEqual({ requests: 2, throttleWaits: 0, throttleWaitMs: 0, retries: 0 });
    });
  });
});

async function drain<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}
