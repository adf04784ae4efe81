import { startSimulator, type RunningSimulator } from './server';
import { RAPPORT_ROLES } from './identity';
import { tinyTenant, TINY_TENANT_ID } from './test-tenant';

type Json = Record<string, unknown> & { value?: Record<string, unknown>[]; error?: { code: string; message: string; innerError: Record<string, string> } };

async function getJson(url: string, token?: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Json; headers: Headers }> {
  const res = await fetch(url, { headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers } });
  const text = await res.text();
  return { status: res.status, body: text ? (JSON.parse(text) as Json) : {}, headers: res.headers };
}

async function tokenFor(sim: RunningSimulator, secret = 'rapport-demo-secret'): Promise<{ status: number; body: Json }> {
  const res = await fetch(sim.tokenUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'rapport-demo-client', client_secret: secret, scope: 'https://graph.microsoft.com/.default' }),
  });
  return { status: res.status, body: (await res.json()) as Json };
}

const MSG_SELECT = 'id,from,toRecipients,bccRecipients,receivedDateTime,internetMessageId';

describe('Graph simulator over HTTP', () => {
  let sim: RunningSimulator;
  let token: string;

  beforeAll(async () => {
    sim = await startSimulator({ tenant: tinyTenant(), consent: { granted: true } });
    token = await sim.issueToken();
  });
  afterAll(() => sim.close());
  beforeEach(() => {
    sim.setFaults({});
    sim.resetStats();
  });

  describe('GET /organization, /users, /groups', () => {
    it('when the organization is read with Rapport’s four roles, then 403, as Graph asks Organization.Read.All', async () => {
      const r = await getJson(`${sim.graphBaseUrl}/organization`, token);
      expect(r.status).toBe(403);
      expect(r.body.error!.code).toBe('Authorization_RequestDenied');
    });

    it('when the organization is read with Organization.Read.All, then it lists the verified domains', async () => {
      const r = await getJson(`${sim.graphBaseUrl}/organization`, await sim.issueToken({ roles: ['Organization.Read.All'] }));
      expect(r.status).toBe(200);
      expect(r.body.value![0]).toMatchObject({ id: TINY_TENANT_ID, verifiedDomains: [{ name: 'contoso.com', isDefault: true }] });
    });

    it('when a user is read by UPN with $select, then only the selected fields come back', async () => {
      const r = await getJson(`${sim.graphBaseUrl}/users/DAVE@contoso.com?$select=id,mail,accountEnabled`, token);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ id: 'u-dave', mail: 'dave@contoso.com', accountEnabled: false });
      expect(r.body).not.toHaveProperty('displayName');
    });

    it('when an unknown user is read, then 404 Request_ResourceNotFound in Graph error JSON', async () => {
      const r = await getJson(`${sim.graphBaseUrl}/users/nobody`, token, { 'client-request-id': 'abc' });
      expect(r.status).toBe(404);
      expect(r.body.error).toMatchObject({ code: 'Request_ResourceNotFound', innerError: { 'client-request-id': 'abc' } });
      expect(r.body.error!.innerError['request-id']).toEqual(expect.any(String));
    });

    it('when groups are filtered by mail or by proxy address, then the group is found', async () => {
      const byMail = await getJson(`${sim.graphBaseUrl}/groups?$filter=${encodeURIComponent("mail eq 'EUSales@contoso.com'")}`, token);
      expect(byMail.body.value!.map((g) => g.id)).toEqual(['g-eu']);
      const byProxy = await getJson(`${sim.graphBaseUrl}/groups?$filter=${encodeURIComponent("proxyAddresses/any(p:p eq 'smtp:eu@contoso.com')")}`, token);
      expect(byProxy.body.value!.map((g) => g.id)).toEqual(['g-eu']);
    });

    const EVENTUAL = { ConsistencyLevel: 'eventual' };

    it('when transitive user members of a group with a cycle are listed as an advanced query, then each user comes once with its type and the count', async () => {
      const r = await getJson(`${sim.graphBaseUrl}/groups/g-sales/transitiveMembers/microsoft.graph.user?$select=id,mail,accountEnabled&$count=true`, token, EVENTUAL);
      expect(r.status).toBe(200);
      const ids = r.body.value!.map((u) => u.id).sort();
      expect(ids).toEqual(['u-alice', 'u-carol', 'u-dave', 'u-nomail']);
      expect(r.body['@odata.count']).toBe(4);
      expect(r.body.value!.every((u) => u['@odata.type'] === '#microsoft.graph.user')).toBe(true);
      expect(r.body.value!.find((u) => u.id === 'u-dave')).toMatchObject({ accountEnabled: false });
      expect(r.body.value!.find((u) => u.id === 'u-nomail')).toMatchObject({ mail: null });
    });

    it.each([
      ['no header and no $count', '', {}],
      ['$count=true but no header', '&$count=true', {}],
      ['the header but no $count', '', EVENTUAL],
      ['the header and $count=false', '&$count=false', EVENTUAL],
    ])('when a cast member list is asked with %s, then 400 Request_UnsupportedQuery as Graph', async (_name, count, headers) => {
      for (const rel of ['transitiveMembers', 'members']) {
        const r = await getJson(`${sim.graphBaseUrl}/groups/g-sales/${rel}/microsoft.graph.user?$select=id${count}`, token, headers);
        expect(r.status).toBe(400);
        expect(r.body.error!.code).toBe('Request_UnsupportedQuery');
        expect(r.body.error!.message).toMatch(/ConsistencyLevel:eventual/);
      }
    });

    it('when direct members are cast to users as an advanced query, then only the direct users come back', async () => {
      const r = await getJson(`${sim.graphBaseUrl}/groups/g-eu/members/microsoft.graph.user?$select=id&$count=true`, token, EVENTUAL);
      expect(r.status).toBe(200);
      expect(r.body.value!.map((u) => u.id).sort()).toEqual(['u-carol', 'u-dave']);
      expect(r.body['@odata.count']).toBe(2);
    });

    it('when transitive members are listed without a cast and without the advanced parameters, then every type comes with its @odata.type and $count is ignored', async () => {
      const r = await getJson(`${sim.graphBaseUrl}/groups/g-eu/transitiveMembers?$select=id,mail&$count=true`, token);
      expect(r.status).toBe(200);
      expect(r.body).not.toHaveProperty('@odata.count');
      const types = Object.fromEntries(r.body.value!.map((o) => [o.id, o['@odata.type']]));
      expect(types).toEqual({
        'u-carol': '#microsoft.graph.user',
        'u-dave': '#microsoft.graph.user',
        'g-loop': '#microsoft.graph.group',
        'g-sales': '#microsoft.graph.group',
        'u-nomail': '#microsoft.graph.user',
        'u-alice': '#microsoft.graph.user',
      });
    });

    it('when transitive members are paged with $top, then nextLinks keep the advanced query and cover them all', async () => {
      let url: string | undefined = `${sim.graphBaseUrl}/groups/g-loop/transitiveMembers/microsoft.graph.user?$top=1&$count=true`;
      const seen: unknown[] = [];
      while (url) {
        const r = await getJson(url, token, EVENTUAL);
        expect(r.status).toBe(200);
        expect(r.body['@odata.count']).toBe(4);
        seen.push(...r.body.value!.map((u) => u.id));
        url = r.body['@odata.nextLink'] as string | undefined;
      }
      expect(seen.sort()).toEqual(['u-alice', 'u-carol', 'u-dave', 'u-nomail']);
    });
  });

  describe('GET /users/{id}/mailFolders', () => {
    it('when top-level folders are listed, then hidden ones need includeHiddenFolders', async () => {
      const plain = await getJson(`${sim.graphBaseUrl}/users/u-alice/mailFolders`, token);
      expect(plain.body.value!.map((f) => f.id)).toEqual(['f-inbox', 'f-sent', 'f-junk']);
      const all = await getJson(`${sim.graphBaseUrl}/users/u-alice/mailFolders?includeHiddenFolders=true&$top=50`, token);
      expect(all.body.value!.map((f) => f.id)).toContain('f-hidden');
    });

    it('when a well-known folder and its child folders are read, then the ids resolve', async () => {
      const junk = await getJson(`${sim.graphBaseUrl}/users/alice@contoso.com/mailFolders/junkemail`, token);
      expect(junk.body).toMatchObject({ id: 'f-junk', childFolderCount: 1 });
      const kids = await getJson(`${sim.graphBaseUrl}/users/u-alice/mailFolders/junkemail/childFolders`, token);
      expect(kids.body.value!.map((f) => f.id)).toEqual(['f-junk-sub']);
      const missing = await getJson(`${sim.graphBaseUrl}/users/u-alice/mailFolders/syncissues`, token);
      expect(missing.status).toBe(404);
      expect(missing.body.error!.code).toBe('ErrorItemNotFound');
    });
  });

  describe('GET /users/{id}/messages', () => {
    it('when $select is missing, then 400', async () => {
      const r = await getJson(`${sim.graphBaseUrl}/users/u-alice/messages`, token);
      expect(r.status).toBe(400);
      expect(r.body.error!.code).toBe('ErrorInvalidParameter');
    });

    it.each(['subject', 'body', 'bodyPreview', 'uniqueBody', 'internetMessageHeaders', 'importance'])('when $select names %s, then 400', async (field) => {
      const r = await getJson(`${sim.graphBaseUrl}/users/u-alice/messages?$select=id,${field}`, token);
      expect(r.status).toBe(400);
      expect(r.body.error!.message).toContain(field);
    });

    it('when fields are selected, then only those come back and never the subject', async () => {
      const r = await getJson(`${sim.graphBaseUrl}/users/u-alice/messages?$select=${MSG_SELECT}&$top=3`, token);
      expect(r.status).toBe(200);
      for (const m of r.body.value!) expect(Object.keys(m).sort()).toEqual(MSG_SELECT.split(',').sort());
      expect(JSON.stringify(r.body)).not.toMatch(/secret|subject/i);
      expect(r.body.value![0]).toMatchObject({ id: 'm-01', bccRecipients: [{ emailAddress: { address: 'carol@contoso.com' } }] });
    });

    it('when filtered on a receivedDateTime range, then only messages in [ge, lt) come back in order', async () => {
      const filter = encodeURIComponent('receivedDateTime ge 2025-01-10T00:00:00Z and receivedDateTime lt 2025-01-13T00:00:00Z');
      const r = await getJson(`${sim.graphBaseUrl}/users/u-alice/messages?$select=id,receivedDateTime&$filter=${filter}&$top=100`, token);
      expect(r.body.value!.map((m) => m.id)).toEqual(['m-10', 'm-11', 'm-12']);
      const bad = await getJson(`${sim.graphBaseUrl}/users/u-alice/messages?$select=id&$filter=${encodeURIComponent("subject eq 'x'")}`, token);
      expect(bad.status).toBe(400);
    });

    it('when paged with $top and verbatim nextLinks, then every message comes exactly once', async () => {
      let url: string | undefined = `${sim.graphBaseUrl}/users/u-alice/messages?$select=id&$top=4`;
      const ids: string[] = [];
      let pages = 0;
      while (url) {
        const r = await getJson(url, token);
        expect(r.status).toBe(200);
        ids.push(...r.body.value!.map((m) => m.id as string));
        url = r.body['@odata.nextLink'] as string | undefined;
        if (url) expect(url.startsWith(`${sim.graphBaseUrl}/users/u-alice/messages?`)).toBe(true);
        pages++;
      }
      expect(pages).toBe(7);
      expect(ids).toHaveLength(25);
      expect(new Set(ids).size).toBe(25);
    });

    it('when a nextLink is tampered with or $top exceeds 1000, then 400', async () => {
      const first = await getJson(`${sim.graphBaseUrl}/users/u-alice/messages?$select=id&$top=4`, token);
      const tampered = (first.body['@odata.nextLink'] as string).replace('$top=4', '$top=5');
      expect((await getJson(tampered, token)).status).toBe(400);
      expect((await getJson(`${sim.graphBaseUrl}/users/u-alice/messages?$select=id&$top=1001`, token)).status).toBe(400);
    });

    it('when the user has no mailbox, then 404 MailboxNotEnabledForRESTAPI', async () => {
      const r = await getJson(`${sim.graphBaseUrl}/users/u-nomail/messages?$select=id`, token);
      expect(r.status).toBe(404);
      expect(r.body.error!.code).toBe('MailboxNotEnabledForRESTAPI');
    });
  });

  describe('GET /users/{id}/calendarView', () => {
    const sel = 'id,iCalUId,isAllDay,start,end,attendees';

    it('when a range is asked, then instances overlapping it come back in UTC', async () => {
      const r = await getJson(`${sim.graphBaseUrl}/users/u-alice/calendarView?startDateTime=2025-02-01T00:00:00Z&endDateTime=2025-03-01T00:00:00Z&$select=${sel}`, token, {
        Prefer: 'outlook.timezone="UTC"',
      });
      expect(r.status).toBe(200);
      expect(r.headers.get('preference-applied')).toBe('outlook.timezone="UTC"');
      expect(r.body.value!.map((e) => e.id)).toEqual(['e2']);
      expect(r.body.value![0]).toMatchObject({ start: { dateTime: '2025-01-31T23:00:00.0000000', timeZone: 'UTC' } });
      expect(JSON.stringify(r.body)).not.toMatch(/secret/i);
    });

    it('when the range exceeds 1825 days or $select is missing, then 400', async () => {
      const long = await getJson(`${sim.graphBaseUrl}/users/u-alice/calendarView?startDateTime=2020-01-01T00:00:00Z&endDateTime=2025-01-01T00:00:00Z&$select=id`, token);
      expect(long.status).toBe(400);
      expect(long.body.error!.code).toBe('ErrorInvalidParameter');
      const ok = await getJson(`${sim.graphBaseUrl}/users/u-alice/calendarView?startDateTime=2020-01-01T00:00:00Z&endDateTime=2024-12-30T00:00:00Z&$select=id`, token);
      expect(ok.status).toBe(200);
      const noSelect = await getJson(`${sim.graphBaseUrl}/users/u-alice/calendarView?startDateTime=2025-01-01T00:00:00Z&endDateTime=2025-12-01T00:00:00Z`, token);
      expect(noSelect.status).toBe(400);
      const subject = await getJson(`${sim.graphBaseUrl}/users/u-alice/calendarView?startDateTime=2025-01-01T00:00:00Z&endDateTime=2025-12-01T00:00:00Z&$select=id,subject`, token);
      expect(subject.status).toBe(400);
    });

    it('when calendar instances are paged, then all three come once', async () => {
      let url: string | undefined = `${sim.graphBaseUrl}/users/u-alice/calendarView?startDateTime=2025-01-01T00:00:00Z&endDateTime=2025-12-01T00:00:00Z&$select=id&$top=2`;
      const ids: unknown[] = [];
      while (url) {
        const r = await getJson(url, token);
        ids.push(...r.body.value!.map((e) => e.id));
        url = r.body['@odata.nextLink'] as string | undefined;
      }
      expect(ids).toEqual(['e1', 'e2', 'e3']);
    });
  });

  describe('POST /$batch', () => {
    const batch = (requests: unknown[], t = token): Promise<Response> =>
      fetch(`${sim.graphBaseUrl}/$batch`, { method: 'POST', headers: { Authorization: `Bearer ${t}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ requests }) });

    it('when sub-requests are batched, then each answers through the same rules', async () => {
      const res = await batch([
        { id: '1', method: 'GET', url: '/users/u-alice/messages?$select=id&$top=2' },
        { id: '2', method: 'GET', url: '/users/u-alice/messages' },
        { id: '3', method: 'GET', url: 'users/u-carol?$select=id,mail' },
      ]);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { responses: { id: string; status: number; body: Json }[] };
      const byId = Object.fromEntries(body.responses.map((r) => [r.id, r]));
      expect(byId['1']!.status).toBe(200);
      expect(byId['1']!.body.value).toHaveLength(2);
      expect(byId['2']!.status).toBe(400);
      expect(byId['3']!.body).toMatchObject({ id: 'u-carol', mail: 'carol@contoso.com' });
    });

    it('when a batched advanced query carries ConsistencyLevel in its own headers, then it passes, and without them it is refused', async () => {
      const url = '/groups/g-sales/transitiveMembers/microsoft.graph.user?$select=id&$count=true';
      const res = await batch([
        { id: 'with', method: 'GET', url, headers: { ConsistencyLevel: 'eventual' } },
        { id: 'without', method: 'GET', url },
      ]);
      const body = (await res.json()) as { responses: { id: string; status: number; body: Json }[] };
      const byId = Object.fromEntries(body.responses.map((r) => [r.id, r]));
      expect(byId['with']!.status).toBe(200);
      expect(byId['with']!.body['@odata.count']).toBe(4);
      expect(byId['without']!.status).toBe(400);
      expect(byId['without']!.body.error!.code).toBe('Request_UnsupportedQuery');
    });

    it('when more than 20 sub-requests are sent, then 400', async () => {
      const res = await batch(Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/organization' })));
      expect(res.status).toBe(400);
      expect(((await res.json()) as Json).error!.code).toBe('BadRequest');
    });

    it('when more than 4 sub-requests hit one mailbox at once, then the extra ones get 429 with Retry-After', async () => {
      sim.setFaults({ latencyMs: 20 });
      const res = await batch(Array.from({ length: 6 }, (_, i) => ({ id: String(i), method: 'GET', url: `/users/u-alice/messages?$select=id&$top=${i + 1}` })));
      const body = (await res.json()) as { responses: { status: number; headers: Record<string, string>; body: Json }[] };
      const throttled = body.responses.filter((r) => r.status === 429);
      expect(throttled).toHaveLength(2);
      expect(throttled[0]!.headers['Retry-After']).toBe('1');
      expect(throttled[0]!.body.error!.code).toBe('ApplicationThrottled');
      expect(sim.stats().faultsInjected.concurrency).toBe(2);
    });
  });
});

describe('identity: tokens and consent', () => {
  let sim: RunningSimulator;
  beforeEach(async () => {
    sim = await startSimulator({ tenant: tinyTenant() });
  });
  afterEach(() => sim.close());

  it('when the client asks for a token before consent, then Graph calls get 403, and after consent 200', async () => {
    // Arrange
    const before = await tokenFor(sim);
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ token_type: 'Bearer', expires_in: 3599 });
    // Act + Assert: no roles yet
    const mail = await getJson(`${sim.graphBaseUrl}/users/u-alice/messages?$select=id`, before.body.access_token as string);
    expect(mail.status).toBe(403);
    expect(mail.body.error!.code).toBe('ErrorAccessDenied');
    const dir = await getJson(`${sim.graphBaseUrl}/users`, before.body.access_token as string);
    expect(dir.body.error!.code).toBe('Authorization_RequestDenied');
    // Consent, then a new token carries the roles
    sim.consent.grant();
    const after = await tokenFor(sim);
    const payload = JSON.parse(Buffer.from((after.body.access_token as string).split('.')[1]!, 'base64url').toString()) as { roles: string[]; aud: string };
    expect(payload).toMatchObject({ aud: 'https://graph.microsoft.com', roles: [...RAPPORT_ROLES] });
    expect((await getJson(`${sim.graphBaseUrl}/users/u-alice/messages?$select=id`, after.body.access_token as string)).status).toBe(200);
  });

  it('when the secret is wrong, then 401 invalid_client with AADSTS7000215', async () => {
    const r = await tokenFor(sim, 'nope');
    expect(r.status).toBe(401);
    expect(r.body.error).toBe('invalid_client');
    expect(r.body.error_description).toMatch(/^AADSTS7000215/);
  });

  it('when the token is missing, expired, for another audience or forged, then 401 InvalidAuthenticationToken', async () => {
    const url = `${sim.graphBaseUrl}/users`;
    const expired = await sim.issueToken({ roles: ['User.Read.All'], expiresInSeconds: -60 });
    const otherAud = await sim.issueToken({ roles: ['User.Read.All'], audience: 'api://other' });
    const good = await sim.issueToken({ roles: ['User.Read.All'] });
    const forged = `${good.slice(0, good.lastIndexOf('.'))}.${'A'.repeat(40)}`;
    for (const t of [undefined, expired, otherAud, forged, 'not-a-jwt']) {
      const r = await getJson(url, t);
      expect(r.status).toBe(401);
      expect(r.body.error!.code).toBe('InvalidAuthenticationToken');
    }
    expect((await getJson(url, good)).status).toBe(200);
  });

  it('when OpenID metadata and keys are fetched, then the token verifies against the JWKS', async () => {
    const meta = await getJson(`${sim.url}/${sim.tenantId}/v2.0/.well-known/openid-configuration`);
    expect(meta.body).toMatchObject({ token_endpoint: sim.tokenUrl, issuer: `${sim.url}/${sim.tenantId}/v2.0` });
    const jwks = await getJson(meta.body.jwks_uri as string);
    expect((jwks.body.keys as unknown[]).length).toBe(1);
  });

  it('when the admin opens the consent page and accepts, then it redirects with admin_consent=True and the state, and roles are granted', async () => {
    const page = await fetch(`${sim.url}/${sim.tenantId}/adminconsent?client_id=rapport-demo-client&redirect_uri=${encodeURIComponent('http://localhost:1234/cb')}&state=xyz`);
    const html = await page.text();
    expect(page.status).toBe(200);
    expect(html).toContain('Rapport requests permission to:');
    for (const r of RAPPORT_ROLES) expect(html).toContain(r);
    expect(html).toMatch(/<button type="submit" id="accept">Accept<\/button>/);
    expect(html).toMatch(/<button type="submit" id="cancel">Cancel<\/button>/);
    const res = await fetch(`${sim.url}/${sim.tenantId}/adminconsent/decision`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ decision: 'accept', client_id: 'rapport-demo-client', redirect_uri: 'http://localhost:1234/cb', state: 'xyz' }),
    });
    expect(res.status).toBe(302);
    const loc = new URL(res.headers.get('location')!);
    expect(Object.fromEntries(loc.searchParams)).toEqual({ admin_consent: 'True', tenant: sim.tenantId, state: 'xyz' });
    expect(sim.consent).toMatchObject({ granted: true, roles: [...RAPPORT_ROLES] });
  });

  it('when the admin cancels, then it redirects with error=access_denied and the state, and nothing is granted', async () => {
    const res = await fetch(`${sim.url}/${sim.tenantId}/adminconsent/decision`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ decision: 'cancel', client_id: 'rapport-demo-client', redirect_uri: 'http://localhost:1234/cb', state: 's1' }),
    });
    const loc = new URL(res.headers.get('location')!);
    expect(loc.searchParams.get('error')).toBe('access_denied');
    expect(loc.searchParams.get('error_description')).toMatch(/AADSTS65004/);
    expect(loc.searchParams.get('state')).toBe('s1');
    expect(sim.consent.granted).toBe(false);
  });

  it('when only some roles are grantable, then the calendar stays forbidden after consent', async () => {
    await sim.close();
    sim = await startSimulator({ tenant: tinyTenant(), grantableRoles: ['Mail.ReadBasic.All', 'User.Read.All'] });
    sim.consent.grant();
    const t = (await tokenFor(sim)).body.access_token as string;
    const cal = await getJson(`${sim.graphBaseUrl}/users/u-alice/calendarView?startDateTime=2025-01-01T00:00:00Z&endDateTime=2025-02-01T00:00:00Z&$select=id`, t);
    expect(cal.status).toBe(403);
    expect((await getJson(`${sim.graphBaseUrl}/users/u-alice/messages?$select=id`, t)).status).toBe(200);
  });
});

describe('identity: RBAC for Applications in Exchange Online', () => {
  let sim: RunningSimulator;
  afterEach(() => sim.close());

  const claims = (token: string): { roles?: string[] } => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { roles?: string[] };
  const calendar = (user: string): string => `/users/${user}/calendarView?startDateTime=2025-01-01T00:00:00Z&endDateTime=2025-02-01T00:00:00Z&$select=id`;

  it('when consent grants mailboxes through Exchange RBAC, then the token lacks the mailbox roles, scoped mailboxes answer and others get 403 ErrorAccessDenied', async () => {
    // Arrange
    sim = await startSimulator({ tenant: tinyTenant(), consent: { granted: true, exchangeRbacScope: ['ALICE@contoso.com'] } });
    const t = (await tokenFor(sim)).body.access_token as string;
    // Assert: the token carries the directory roles only
    expect(claims(t).roles!.sort()).toEqual(['GroupMember.Read.All', 'User.Read.All']);
    expect(sim.consent.exchangeRbacScope).toEqual(['ALICE@contoso.com']);
    // Act + Assert: mail, folders and calendar of the scoped mailbox
    for (const path of ['/users/u-alice/messages?$select=id', '/users/alice@contoso.com/mailFolders', calendar('u-alice')]) {
      expect((await getJson(`${sim.graphBaseUrl}${path}`, t)).status).toBe(200);
    }
    // ...and nothing of another mailbox
    for (const path of ['/users/u-carol/messages?$select=id', calendar('u-carol')]) {
      const r = await getJson(`${sim.graphBaseUrl}${path}`, t);
      expect(r.status).toBe(403);
      expect(r.body.error!.code).toBe('ErrorAccessDenied');
    }
    expect((await getJson(`${sim.graphBaseUrl}/users/u-carol?$select=id`, t)).status).toBe(200);
  });

  it('when the consent is granted again, then the scope stays until replaced, and revoking ends it', async () => {
    sim = await startSimulator({ tenant: tinyTenant(), consent: { granted: false, exchangeRbacScope: ['u-alice'] } });
    sim.consent.grant();
    const t1 = await sim.issueToken();
    expect(claims(t1).roles).not.toContain('Mail.ReadBasic.All');
    expect((await getJson(`${sim.graphBaseUrl}/users/u-alice/messages?$select=id`, t1)).status).toBe(200);
    sim.consent.grant(undefined, { exchangeRbacScope: ['carol@contoso.com'] });
    expect((await getJson(`${sim.graphBaseUrl}/users/u-carol/messages?$select=id`, t1)).status).toBe(200);
    expect((await getJson(`${sim.graphBaseUrl}/users/u-alice/messages?$select=id`, t1)).status).toBe(403);
    sim.consent.revoke();
    expect(sim.consent.exchangeRbacScope).toBeUndefined();
    expect((await getJson(`${sim.graphBaseUrl}/users/u-carol/messages?$select=id`, t1)).status).toBe(403);
  });

  it('when the token also carries the Entra mailbox roles, then every mailbox answers (grants add up)', async () => {
    sim = await startSimulator({ tenant: tinyTenant(), consent: { granted: true, roles: [...RAPPORT_ROLES], exchangeRbacScope: ['u-alice'] } });
    const t = await sim.issueToken();
    expect((await getJson(`${sim.graphBaseUrl}/users/u-carol/messages?$select=id`, t)).status).toBe(200);
  });

  it('when no Exchange scope is set, then consent grants the four roles as before', async () => {
    sim = await startSimulator({ tenant: tinyTenant(), consent: { granted: true } });
    expect(sim.consent.roles).toEqual([...RAPPORT_ROLES]);
    expect(sim.consent.exchangeRbacScope).toBeUndefined();
  });
});
