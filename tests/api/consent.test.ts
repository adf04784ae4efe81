/** Tenant-admin consent: the URL, the one-time state, the callback outcomes and the permissions check. */
import request from 'supertest';
import { demoConfig } from './support/config';
import { configure, consent, runNow, startHarness, type Harness } from './support/harness';

describe('tenant-admin consent', () => {
  let h: Harness;
  afterEach(() => h.close());

  describe('with every permission grantable', () => {
    beforeEach(async () => {
      h = await startHarness();
    });

    it('when consent is requested, then the URL is the admin consent endpoint with client id, redirect URI and a random state', async () => {
      const res = await request(h.app).post('/api/consent/request').set('Host', 'rapport.test:4000');
      expect(res.status).toBe(200);
      const url = new URL(res.body.url);
      expect(`${url.origin}${url.pathname}`).toBe(`${h.simulator.url}/${h.simulator.tenantId}/adminconsent`);
      expect(url.searchParams.get('client_id')).toBe(h.gateway.clientId);
      expect(url.searchParams.get('redirect_uri')).toBe('http://rapport.test:4000/api/consent/callback');
      expect(url.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{40,}$/);
      const again = await request(h.app).post('/api/consent/request');
      expect(new URL(again.body.url).searchParams.get('state')).not.toBe(url.searchParams.get('state'));
      expect((await request(h.app).get('/api/consent')).body.status).toBe('pending');
    });

    it('when the admin accepts, then the page reports success, closes itself, and all permissions are granted', async () => {
      const res = await consent(h, 'accept');
      expect(res.status).toBe(200);
      expect(res.type).toBe('text/html');
      expect(res.text).toContain('Consent granted');
      expect(res.text).toContain('window.opener.postMessage');
      expect(res.text).toContain('window.close()');
      // The inline script runs under the CSP nonce of this response.
      const nonce = /nonce="([^"]+)"/.exec(res.text)?.[1];
      expect(res.headers['content-security-policy']).toContain(`'nonce-${nonce}'`);
      const status = await request(h.app).get('/api/consent');
      expect(status.body).toMatchObject({
        status: 'granted',
        grantedPermissions: ['Calendars.ReadBasic.All', 'GroupMember.Read.All', 'Mail.ReadBasic.All', 'User.Read.All'],
        missingPermissions: [],
        grantedAt: h.time.now().toISOString(),
      });
    });

    it('when the state does not match a request, then 400 CONSENT_STATE_MISMATCH on the page and nothing changes', async () => {
      await request(h.app).post('/api/consent/request');
      const before = structuredClone(await h.stores.state.read());
      const res = await request(h.app).get(`/api/consent/callback?admin_consent=True&tenant=${h.simulator.tenantId}&state=forged`);
      expect(res.status).toBe(400);
      expect(res.text).toContain('CONSENT_STATE_MISMATCH');
      expect(res.text).toContain('start the consent flow again');
      expect(await h.stores.state.read()).toEqual(before);
    });

    it('when a state is replayed, then the second callback is a mismatch', async () => {
      const first = await consent(h, 'accept');
      expect(first.status).toBe(200);
      const { body } = await request(h.app).post('/api/consent/request');
      const state = new URL(body.url).searchParams.get('state');
      expect((await request(h.app).get(`/api/consent/callback?admin_consent=True&state=${state}`)).status).toBe(200);
      expect((await request(h.app).get(`/api/consent/callback?admin_consent=True&state=${state}`)).status).toBe(400);
    });

    it('when the state has expired, then the callback is a mismatch', async () => {
      const { body } = await request(h.app).post('/api/consent/request');
      const state = new URL(body.url).searchParams.get('state');
      await h.time.advance(2 * 3_600_000);
      const res = await request(h.app).get(`/api/consent/callback?admin_consent=True&state=${state}`);
      expect(res.status).toBe(400);
      expect((await request(h.app).get('/api/consent')).body.status).toBe('pending');
    });

    it('when the admin cancels, then the error is reported on the page and the status is denied', async () => {
      const res = await consent(h, 'cancel');
      expect(res.status).toBe(200);
      expect(res.text).toContain('Consent was not granted');
      expect(res.text).toContain('access_denied');
      const status = await request(h.app).get('/api/consent');
      expect(status.body).toMatchObject({ status: 'denied', error: expect.stringContaining('access_denied') });
    });

    it('when Entra sends an error with a description, then the first line of the description is kept', async () => {
      const { body } = await request(h.app).post('/api/consent/request');
      const state = new URL(body.url).searchParams.get('state')!;
      const res = await request(h.app).get('/api/consent/callback').query({ error: 'consent_required', error_description: 'AADSTS65001: The user or administrator has not consented.\r\nTrace ID: x', state });
      expect(res.text).toContain('AADSTS65001');
      expect(res.text).not.toContain('Trace ID');
      expect((await request(h.app).get('/api/consent')).body.error).toBe('consent_required: AADSTS65001: The user or administrator has not consented.');
    });

    it('when there is no consent, then Run now is 412 CONSENT_REQUIRED', async () => {
      await configure(h);
      const res = await request(h.app).post('/api/runs').send({});
      expect(res.status).toBe(412);
      expect(res.body.error.code).toBe('CONSENT_REQUIRED');
      expect((await h.stores.state.read()).runs).toEqual([]);
    });

    it('when consent was granted in the admin console, then "check" finds the permissions', async () => {
      h.simulator.consent.grant();
      const res = await request(h.app).post('/api/consent/check');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'granted', missingPermissions: [] });
    });

    it('when the tenant administrator withdraws consent, then "check" reports it, asks for consent again and runs are blocked', async () => {
      await consent(h, 'accept');
      h.simulator.consent.revoke();
      const res = await request(h.app).post('/api/consent/check');
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ status: 'notRequested', grantedAt: null, grantedPermissions: [], error: expect.stringContaining('withdrawn') });
      await configure(h);
      expect((await request(h.app).post('/api/runs').send({})).status).toBe(412);
    });
  });

  describe('asking the tenant administrator (POST /api/consent/requests)', () => {
    beforeEach(async () => {
      h = await startHarness();
    });
    const ida = { name: 'Ida Admin', email: 'ida@contoso.com' };

    it('when no tenant administrator is named, then 412 NOT_CONFIGURED says to name one and nothing is recorded', async () => {
      await configure(h);
      const before = structuredClone(await h.stores.state.read());
      const res = await request(h.app).post('/api/consent/requests').send({ channel: 'teams' });
      expect(res.status).toBe(412);
      expect(res.body.error).toMatchObject({ code: 'NOT_CONFIGURED', message: expect.stringContaining('Name the tenant administrator') });
      expect(await h.stores.state.read()).toEqual(before);
    });

    it('when the channel is unknown, then 400 names body.channel and nothing is recorded', async () => {
      await configure(h, { tenantAdmin: ida });
      const before = structuredClone(await h.stores.state.read());
      const res = await request(h.app).post('/api/consent/requests').send({ channel: 'fax' });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('body.channel') });
      expect(await h.stores.state.read()).toEqual(before);
    });

    it('when the admin asks in Teams, then who asked whom, when and how is recorded, shown in the consent status, and the link is valid for a week', async () => {
      await configure(h, { tenantAdmin: ida });
      const res = await request(h.app).post('/api/consent/requests').set('Host', 'rapport.test:4000').send({ channel: 'teams' });
      expect(res.status).toBe(201);
      const request_ = { id: expect.any(String), askedAt: h.time.now().toISOString(), askedBy: { id: expect.any(String), name: 'Demo Admin' }, recipient: ida, channel: 'teams' };
      expect(res.body).toMatchObject({
        request: request_,
        expiresAt: new Date(h.time.now().getTime() + 7 * 24 * 3600_000).toISOString(),
        permissions: ['Mail.ReadBasic.All', 'Calendars.ReadBasic.All', 'User.Read.All', 'GroupMember.Read.All'],
      });
      const url = new URL(res.body.consentUrl);
      expect(url.pathname).toBe(`/${h.simulator.tenantId}/adminconsent`);
      expect(url.searchParams.get('redirect_uri')).toBe('http://rapport.test:4000/api/consent/callback');
      const status = await request(h.app).get('/api/consent');
      expect(status.body).toMatchObject({ status: 'pending', adminRequest: request_ });
      const list = await request(h.app).get('/api/consent/requests');
      expect(list.body.requests).toEqual([res.body.request]);
    });

    it('when the tenant administrator opens the link six days later, after 25 popup requests, then consent is granted through it', async () => {
      await configure(h, { tenantAdmin: ida });
      const asked = await request(h.app).post('/api/consent/requests').send({ channel: 'email' });
      for (let i = 0; i < 25; i++) await request(h.app).post('/api/consent/request').expect(200);
      await h.time.advance(6 * 24 * 3600_000);
      const location = await h.gateway.simulateAdminConsent!(asked.body.consentUrl as string, 'accept');
      const callback = new URL(location);
      const res = await request(h.app).get(`${callback.pathname}${callback.search}`);
      expect(res.status).toBe(200);
      expect((await request(h.app).get('/api/consent')).body).toMatchObject({ status: 'granted', missingPermissions: [], adminRequest: { recipient: ida, channel: 'email' } });
    });

    it('when the link is opened after eight days, then the callback is a mismatch and consent is not granted', async () => {
      await configure(h, { tenantAdmin: ida });
      const asked = await request(h.app).post('/api/consent/requests').send({ channel: 'link' });
      await h.time.advance(8 * 24 * 3600_000);
      const location = await h.gateway.simulateAdminConsent!(asked.body.consentUrl as string, 'accept');
      const callback = new URL(location);
      const res = await request(h.app).get(`${callback.pathname}${callback.search}`);
      expect(res.status).toBe(400);
      expect(res.text).toContain('CONSENT_STATE_MISMATCH');
      expect((await request(h.app).get('/api/consent')).body.status).not.toBe('granted');
    });
  });

  describe('with only some permissions grantable', () => {
    beforeEach(async () => {
      h = await startHarness({ config: demoConfig(), simulator: { grantableRoles: ['Mail.Read', 'Calendars.ReadBasic.All'] } });
    });

    it('when the admin accepts, then granted and missing permissions are reported and runs stay blocked', async () => {
      const res = await consent(h, 'accept');
      expect(res.text).toContain('permissions missing');
      expect(res.text).toContain('User.Read.All');
      const status = await request(h.app).get('/api/consent');
      // Mail.Read covers Mail.ReadBasic.All.
      expect(status.body).toMatchObject({ status: 'granted', grantedPermissions: ['Calendars.ReadBasic.All', 'Mail.Read'], missingPermissions: ['User.Read.All', 'GroupMember.Read.All'] });
      await configure(h);
      const run = await request(h.app).post('/api/runs').send({});
      expect(run.status).toBe(412);
      expect(run.body.error).toMatchObject({ code: 'CONSENT_REQUIRED', message: expect.stringContaining('User.Read.All, GroupMember.Read.All') });
    });
  });

  /**
   * RBAC for Applications in Exchange Online: the tenant administrator consents to the directory
   * permissions in Entra ID and assigns "Application Mail.ReadBasic" and "Application
   * Calendars.Read" in Exchange with a management scope. The token then has no Mail/Calendars
   * roles; the simulator serves mail and calendars of the scoped mailboxes only, and answers the
   * others with 403 ErrorAccessDenied. https://learn.microsoft.com/exchange/permissions-exo/application-rbac
   */
  describe('with the mail and calendar grant in Exchange Online (RBAC for Applications)', () => {
    const rbacHarness = (scope: string[]) => startHarness({ config: demoConfig(), simulator: { consent: { granted: false, exchangeRbacScope: scope } } });
    const directoryOnly = { 'User.Read.All': 'appRole', 'GroupMember.Read.All': 'appRole' };

    it('when the mailboxes are configured and the admin accepts, then the permissions count as granted through Exchange and a run reports the mailbox outside the scope by name', async () => {
      h = await rbacHarness(['alice@contoso.com']);
      await configure(h);
      const page = await consent(h, 'accept');
      expect(page.text).toContain('Consent granted. Rapport can now run.');
      expect(page.text).toContain('granted through Exchange RBAC for Applications (read on alice@contoso.com)');
      const status = await request(h.app).get('/api/consent');
      expect(status.body).toMatchObject({
        status: 'granted',
        grantedPermissions: ['Calendars.ReadBasic.All', 'GroupMember.Read.All', 'Mail.ReadBasic.All', 'User.Read.All'],
        missingPermissions: [],
        grantedThrough: { ...directoryOnly, 'Mail.ReadBasic.All': 'exchangeRbac', 'Calendars.ReadBasic.All': 'exchangeRbac' },
        exchangeRbac: { mailboxes: ['alice@contoso.com'] },
      });

      const run = await runNow(h);
      // bob@contoso.com is selected (through the Sales group) but outside the Exchange scope: named, and the run still commits.
      expect(run).toMatchObject({ status: 'partial', accountsEnriched: 6, failures: [{ mailbox: 'bob@contoso.com', code: 'ErrorAccessDenied' }] });
      expect((await h.services.results.header())?.runId).toBe(run.id);
    });

    it('when the admin accepts before the mailboxes are configured, then the permissions stay missing until a check after the configuration is saved', async () => {
      h = await rbacHarness(['alice@contoso.com', 'bob@contoso.com']);
      await consent(h, 'accept');
      const before = await request(h.app).get('/api/consent');
      expect(before.body).toMatchObject({
        status: 'granted',
        grantedPermissions: ['GroupMember.Read.All', 'User.Read.All'],
        missingPermissions: ['Mail.ReadBasic.All', 'Calendars.ReadBasic.All'],
        grantedThrough: directoryOnly,
        exchangeRbac: { mailboxes: [], message: expect.stringContaining('checked once mailboxes are configured') },
      });

      await configure(h);
      const after = await request(h.app).post('/api/consent/check');
      expect(after.status).toBe(200);
      expect(after.body).toMatchObject({ missingPermissions: [], grantedThrough: { 'Mail.ReadBasic.All': 'exchangeRbac', 'Calendars.ReadBasic.All': 'exchangeRbac' } });
      expect((await runNow(h)).status).toBe('succeeded');
    });

    it('when the first selected mailbox is outside the scope, then the next one shows the grant', async () => {
      h = await rbacHarness(['bob@contoso.com']);
      await configure(h);
      await consent(h, 'accept');
      const status = await request(h.app).get('/api/consent');
      expect(status.body).toMatchObject({ missingPermissions: [], exchangeRbac: { mailboxes: ['alice@contoso.com', 'bob@contoso.com'] } });
    });

    it('when the scope holds none of the selected mailboxes, then the permissions stay missing, the refused mailboxes are named and runs are blocked', async () => {
      h = await rbacHarness(['dave@contoso.com']);
      await configure(h);
      await consent(h, 'accept');
      const status = await request(h.app).get('/api/consent');
      expect(status.body).toMatchObject({
        missingPermissions: ['Mail.ReadBasic.All', 'Calendars.ReadBasic.All'],
        exchangeRbac: { mailboxes: ['alice@contoso.com', 'bob@contoso.com'], message: expect.stringContaining('Microsoft Graph refused alice@contoso.com, bob@contoso.com (ErrorAccessDenied)') },
      });
      const run = await request(h.app).post('/api/runs').send({});
      expect(run.status).toBe(412);
      expect(run.body.error).toMatchObject({ code: 'CONSENT_REQUIRED', message: expect.stringContaining('Mail.ReadBasic.All, Calendars.ReadBasic.All') });
      expect((await h.stores.state.read()).runs).toEqual([]);
    });

    it('when the Exchange grant is made after consent, then Run now reads it again and starts', async () => {
      h = await rbacHarness(['dave@contoso.com']);
      await configure(h);
      await consent(h, 'accept');
      // The Exchange administrator widens the management scope; Entra ID is not touched.
      h.simulator.consent.grant(undefined, { exchangeRbacScope: ['alice@contoso.com', 'bob@contoso.com'] });
      const started = await request(h.app).post('/api/runs').send({});
      expect(started.status).toBe(202);
      await h.services.runs.whenIdle();
      expect((await request(h.app).get('/api/consent')).body).toMatchObject({ missingPermissions: [], grantedThrough: { 'Mail.ReadBasic.All': 'exchangeRbac' } });
    });
  });
});
