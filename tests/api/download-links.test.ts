/**
 * The signer of download links on its own: which paths a link may open, and that the caller's
 * sign-in address travels signed with it (so "My accounts" exports work through a link).
 */
import request from 'supertest';
import { DownloadSigner, isDownloadable } from '../../api/src/http/download-links';
import type { RunningSimulator } from '../../api/src/simulator';
import { startSharedSimulator, startSsoHarness, type Harness } from './support/harness';
import { ADMIN_OID, LocalIssuer, USER_OID } from './support/tokens';
import type { Identity } from '../../api/src/services/identity';

const NOW = new Date('2026-12-01T08:00:00.000Z');
const clock = { now: () => NOW };
const seller: Identity = { id: 'oid-1', name: 'Rita Seller', tenantId: 'tid-1', isAdmin: false, email: 'rita@contoso.com' };

function verifyUrl(signer: DownloadSigner, url: string) {
  const parsed = new URL(url, 'http://rapport.invalid');
  return signer.verify(parsed.pathname, parsed.searchParams);
}

describe('isDownloadable', () => {
  it.each([
    ['/api/results/office.csv', true],
    ['/api/results/office.json', true],
    ['/api/segments/stale/members', true],
    ['/api/datasets/template.csv', true],
    ['/api/datasets/ds_1/rejected.csv', true],
    ['/api/datasets/ds_1', false],
    ['/api/datasets/a/b/rejected.csv', false],
    ['/api/datasets/template.csv/x', false],
    ['/api/results/user-table', false],
    ['/api/config', false],
  ])('%s → %s', (path, expected) => {
    expect(isDownloadable(path)).toBe(expected);
  });
});

describe('DownloadSigner', () => {
  it('when the caller has a sign-in address, then the link carries it signed and verify gives it back', () => {
    const signer = new DownloadSigner(clock);
    const { url } = signer.sign('/api/results/office.csv?level=year&owner=me', seller);
    expect(new URL(url, 'http://x').searchParams.get('dl_eml')).toBe('rita@contoso.com');
    expect(verifyUrl(signer, url)).toEqual({ id: 'oid-1', name: 'Download link', tenantId: 'tid-1', isAdmin: false, email: 'rita@contoso.com' });
  });

  it('when the caller has no sign-in address, then the link has none and verify says so (owner=me answers its 400)', () => {
    const signer = new DownloadSigner(clock);
    const { url } = signer.sign('/api/results/office.csv?owner=me', { ...seller, email: null });
    expect(url).not.toContain('dl_eml');
    expect(verifyUrl(signer, url)?.email).toBeNull();
  });

  it.each([
    ['another address is put in', (u: string) => u.replace('dl_eml=rita%40contoso.com', 'dl_eml=boss%40contoso.com')],
    ['the address is removed', (u: string) => u.replace(/&dl_eml=[^&]+/, '')],
    ['an address is added twice', (u: string) => `${u}&dl_eml=boss%40contoso.com`],
  ])('when %s, then the link is refused', (_label, alter) => {
    const signer = new DownloadSigner(clock);
    const { url } = signer.sign('/api/results/office.csv?owner=me', seller);
    expect(() => verifyUrl(signer, alter(url))).toThrow(expect.objectContaining({ code: 'UNAUTHENTICATED' }));
  });

  it('when a link is asked for with dl_ parameters of its own, then they are replaced by the signed ones', () => {
    const signer = new DownloadSigner(clock);
    const { url } = signer.sign('/api/datasets/template.csv?kind=contacts&dl_eml=boss%40contoso.com&dl_adm=1', seller);
    const params = new URL(url, 'http://x').searchParams;
    expect(params.getAll('dl_eml')).toEqual(['rita@contoso.com']);
    expect(params.get('dl_adm')).toBe('0');
    expect(params.get('kind')).toBe('contacts');
    expect(verifyUrl(signer, url)?.email).toBe('rita@contoso.com');
  });

  it.each(['/api/datasets/template.csv?kind=accounts', '/api/datasets/ds_9/rejected.csv'])('when %s is asked for, then it is signed and verifies', (target) => {
    const signer = new DownloadSigner(clock);
    const { url } = signer.sign(target, { ...seller, isAdmin: true });
    expect(verifyUrl(signer, url)).toMatchObject({ id: 'oid-1', isAdmin: true });
  });

  it('when a path is not an export, then signing it is a 400 that names it', () => {
    const signer = new DownloadSigner(clock);
    expect(() => signer.sign('/api/datasets/ds_1', seller)).toThrow(/\/api\/datasets\/ds_1 is not one/);
  });
});

describe('signed links to the setup files (production mode)', () => {
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

  it('when an admin asks for a link to the template, then the link serves it without a token, and a seller’s link is refused by the admin check', async () => {
    const admin = await issuer.sign(h.time.now(), { oid: ADMIN_OID, name: 'Ann Admin' });
    const link = await request(h.app).post('/api/downloads').set('Authorization', `Bearer ${admin}`).send({ path: '/api/datasets/template.csv?kind=contacts' });
    expect(link.status).toBe(200);
    expect(link.body.url).toMatch(/^\/api\/datasets\/template\.csv\?kind=contacts&dl_exp=\d+&.*dl_sig=/);
    const csv = await request(h.app).get(link.body.url);
    expect(csv.status).toBe(200);
    expect(csv.headers['content-disposition']).toContain('rapport-contacts-template.csv');

    const seller = await issuer.sign(h.time.now(), { oid: USER_OID, name: 'Rita Seller' });
    const sellerLink = await request(h.app).post('/api/downloads').set('Authorization', `Bearer ${seller}`).send({ path: '/api/datasets/template.csv?kind=contacts' });
    expect((await request(h.app).get(sellerLink.body.url)).status).toBe(403);
  });
});
