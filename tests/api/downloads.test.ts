/**
 * Signed download links (production mode): a browser download cannot carry the SSO token, so
 * an authenticated caller gets a 5-minute link to one export.
 */
import request from 'supertest';
import type { RunningSimulator } from '../../api/src/simulator';
import { startSharedSimulator, startSsoHarness, type Harness } from './support/harness';
import { LocalIssuer, USER_OID } from './support/tokens';

describe('signed download links', () => {
  let h: Harness;
  let issuer: LocalIssuer;
  let simulator: RunningSimulator;
  let token: string;

  beforeAll(async () => {
    issuer = await LocalIssuer.create();
    simulator = await startSharedSimulator();
  });
  afterAll(() => simulator.close());
  beforeEach(async () => {
    h = await startSsoHarness(simulator, issuer);
    token = await issuer.sign(h.time.now(), { oid: USER_OID, name: 'Rita Seller' });
  });
  afterEach(() => h.close());

  const link = (path: string) => request(h.app).post('/api/downloads').set('Authorization', `Bearer ${token}`).send({ path });

  it('when a signed link to the Office CSV is opened without a token, then the CSV is served', async () => {
    const res = await link('/api/results/office.csv?level=year');
    expect(res.status).toBe(200);
    expect(res.body.url).toMatch(/^\/api\/results\/office\.csv\?level=year&dl_exp=\d+&dl_sub=.+&dl_sig=/);
    const csv = await request(h.app).get(res.body.url);
    expect(csv.status).toBe(200);
    expect(csv.text).toMatch(/^AccountId,EngagementScore,/);
  });

  it('when the same path is asked without a link or a token, then 401', async () => {
    expect((await request(h.app).get('/api/results/office.csv?level=year')).status).toBe(401);
  });

  it('when the link has expired, then 401 says to export again', async () => {
    const { body } = await link('/api/results/office.csv');
    await h.time.advance(5 * 60_000 + 1);
    const res = await request(h.app).get(body.url);
    expect(res.status).toBe(401);
    expect(res.body.error.message).toMatch(/expired; export again/);
  });

  it.each([
    ['the query is changed', (u: string) => u.replace('level=year', 'level=week')],
    ['the signed user is changed', (u: string) => u.replace(/dl_adm=0/, 'dl_adm=1')],
    ['the signature is used on another path', (u: string) => u.replace('/api/results/office.csv', '/api/results/user-table')],
  ])('when %s, then the link is refused', async (_label, alter) => {
    const { body } = await link('/api/results/office.csv?level=year');
    const res = await request(h.app).get(alter(body.url));
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('when a link to something that is not an export is asked for, then 400 names the path', async () => {
    const res = await link('/api/results/user-table');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/\/api\/results\/user-table is not one/);
  });

  it('when a link is asked for without a token, then 401', async () => {
    expect((await request(h.app).post('/api/downloads').send({ path: '/api/results/office.csv' })).status).toBe(401);
  });
});
