/** Production auth: Teams SSO tokens checked against a local JWKS; admins by object id or app role. */
import request from 'supertest';
import type { RunningSimulator } from '../../api/src/simulator';
import { startSharedSimulator, startSsoHarness, type Harness } from './support/harness';
import { ADMIN_OID, LocalIssuer, SSO_CLIENT_ID, TENANT, USER_OID } from './support/tokens';

describe('Teams SSO authentication (production mode)', () => {
  let h: Harness;
  let issuer: LocalIssuer;
  let simulator: RunningSimulator;

  beforeAll(async () => {
    issuer = await LocalIssuer.create();
    simulator = await startSharedSimulator();
  });
  afterAll(() => simulator.close());
  beforeEach(async () => {
    h = await startSsoHarness(simulator, issuer);
  });
  afterEach(() => h.close());

  const me = (token?: string) => {
    const req = request(h.app).get('/api/me');
    return token ? req.set('Authorization', `Bearer ${token}`) : req;
  };

  it('when a valid token is sent, then /api/me names the caller from its claims', async () => {
    const token = await issuer.sign(h.time.now(), { oid: USER_OID, name: 'Rita Seller' });
    const res = await me(token);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: USER_OID, name: 'Rita Seller', tenantId: TENANT, isAdmin: false, mode: 'production' });
  });

  it('when no token is sent, then 401 UNAUTHENTICATED says a bearer token is needed', async () => {
    const res = await me();
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringContaining('Bearer') });
  });

  it('when the token has expired, then 401 says it expired', async () => {
    const token = await issuer.sign(new Date(h.time.now().getTime() - 2 * 3_600_000), { expiresIn: 3600 });
    const res = await me(token);
    expect(res.status).toBe(401);
    expect(res.body.error).toMatchObject({ code: 'UNAUTHENTICATED', message: expect.stringContaining('expired') });
  });

  it('when the token is not valid yet, then 401', async () => {
    const token = await issuer.sign(h.time.now(), { notBeforeIn: 3600 });
    expect((await me(token)).status).toBe(401);
  });

  it('when the token is for another audience, then 401 names the audience', async () => {
    const token = await issuer.sign(h.time.now(), { aud: 'api://someone-else.example.com/11111111-2222-3333-4444-555555555555' });
    const res = await me(token);
    expect(res.status).toBe(401);
    expect(res.body.error.message).toContain('audience');
  });

  it('when the token comes from another tenant, then 401 UNAUTHENTICATED', async () => {
    const other = '00000000-1111-2222-3333-444444444444';
    const token = await issuer.sign(h.time.now(), { tid: other });
    const res = await me(token);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('when the token claims our tenant but was issued by another, then 401', async () => {
    const token = await issuer.sign(h.time.now(), { iss: 'https://login.microsoftonline.com/00000000-1111-2222-3333-444444444444/v2.0' });
    expect((await me(token)).status).toBe(401);
  });

  it('when the token is signed by an unknown key, then 401', async () => {
    const token = await issuer.sign(h.time.now(), {}, { foreignKey: true });
    const res = await me(token);
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('when the token is v1 (sts.windows.net issuer, bare client id audience), then it is accepted', async () => {
    const token = await issuer.sign(h.time.now(), { iss: `https://sts.windows.net/${TENANT}/`, aud: SSO_CLIENT_ID });
    expect((await me(token)).status).toBe(200);
  });

  it('when the caller is in ADMIN_OBJECT_IDS or holds the admin app role, then isAdmin is true', async () => {
    const byOid = await me(await issuer.sign(h.time.now(), { oid: ADMIN_OID }));
    const byRole = await me(await issuer.sign(h.time.now(), { oid: USER_OID, roles: ['Rapport.Admin'] }));
    expect(byOid.body.isAdmin).toBe(true);
    expect(byRole.body.isAdmin).toBe(true);
  });

  it.each([
    ['put', '/api/config'],
    ['post', '/api/config/org/resolve'],
    ['post', '/api/datasets'],
    ['get', '/api/datasets'],
    ['post', '/api/datasets/ds_1/mapping'],
    ['post', '/api/consent/request'],
    ['post', '/api/consent/check'],
    ['put', '/api/schedule'],
    ['post', '/api/runs'],
    ['get', '/api/results/user-table'],
  ] as const)('when a non-admin calls %s %s, then 403 FORBIDDEN and nothing is stored', async (method, path) => {
    const token = await issuer.sign(h.time.now(), { oid: USER_OID });
    const before = structuredClone(await h.stores.state.read());
    const res = await request(h.app)[method](path).set('Authorization', `Bearer ${token}`).send({});
    expect(res.status).toBe(403);
    expect(res.body.error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('admins') });
    expect(await h.stores.state.read()).toEqual(before);
  });

  it('when a non-admin reads results or saves a segment, then it is allowed', async () => {
    const token = await issuer.sign(h.time.now(), { oid: USER_OID });
    expect((await request(h.app).get('/api/results/overview').set('Authorization', `Bearer ${token}`)).status).toBe(200);
    const created = await request(h.app)
      .post('/api/segments')
      .set('Authorization', `Bearer ${token}`)
      .send({ name: 'Quiet', rule: { kind: 'group', op: 'and', children: [] } });
    expect(created.status).toBe(201);
  });

  it('when public endpoints are called without a token, then they answer', async () => {
    expect((await request(h.app).get('/api/health')).status).toBe(200);
    expect((await request(h.app).get('/api/openapi.json')).status).toBe(200);
    // The consent callback answers its HTML page (here: the state is unknown).
    const callback = await request(h.app).get('/api/consent/callback?admin_consent=True&state=nope');
    expect(callback.status).toBe(400);
    expect(callback.type).toBe('text/html');
  });
});
