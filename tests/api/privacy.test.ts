/**
 * The privacy threshold (`rules.minimumColleagues`, docs/api.md "Privacy threshold") over HTTP:
 * the hand-made tenant, where Alice alone works with every account except Fabrikam, which Bob
 * writes to as well. An admin runs the enrichment in demo mode; a production app on the same
 * stores then answers an admin and a seller (Teams SSO tokens) side by side.
 *
 *   Fabrikam (A)  Alice and Bob: the year row and the week and month both wrote in are visible;
 *                 the week and month in which only Bob wrote are hidden
 *   B … G         Alice only (D: nobody): every row hidden at threshold 2
 */
import request from 'supertest';
import { parse } from 'csv-parse/sync';
import { ACTIVITY_COLUMNS, KEPT_COLUMNS, type OfficeRowView } from '../../api/src/engagement/row-privacy';
import { OFFICE_COLUMNS, type OfficeRow } from '../../api/src/engagement/types';
import { createEntraTokenVerifier } from '../../api/src/http/auth';
import type { RunningSimulator } from '../../api/src/simulator';
import { createEngagementPort } from '../../server/src/bot-engagement';
import { productionConfig } from './support/config';
import { configBody, configure, runNow, startHarness, startSharedSimulator, uploadContacts, type Harness } from './support/harness';
import { handMadeTenant, STALE_AT_DEFAULTS, T } from './support/tenant';
import { ADMIN_OID, LocalIssuer, SSO_AUDIENCE, TENANT, USER_OID } from './support/tokens';

const DAY = 86_400_000;
const at = (daysAgo: number) => new Date(Date.parse(T) - daysAgo * DAY).toISOString();
const address = (a: string) => ({ emailAddress: { name: a.split('@')[0], address: a } });

/** The hand-made tenant, plus Bob writing to Fabrikam 10 days ago (Alice's week) and 40 days ago (alone). */
function tenantWithBob() {
  const tenant = handMadeTenant();
  const bob = tenant.mailboxes!['u-bob']!;
  bob.messages = [10, 40].map((daysAgo) => ({
    id: `bob-${daysAgo}`,
    parentFolderId: 'f-sent',
    conversationId: `c-bob-${daysAgo}`,
    internetMessageId: `<bob-${daysAgo}@test>`,
    isDraft: false,
    from: address('bob@contoso.com'),
    sender: address('bob@contoso.com'),
    toRecipients: [address('jane@fabrikam.com')],
    ccRecipients: [],
    bccRecipients: [],
    sentDateTime: at(daysAgo),
    receivedDateTime: at(daysAgo),
  }));
  return tenant;
}

interface Viewers {
  /** Demo mode: the Demo Admin, who configures and runs. */
  setup: Harness;
  /** Production mode on the same stores, with Teams SSO tokens. */
  app: Harness;
  admin: string;
  seller: string;
}

let simulator: RunningSimulator;
let issuer: LocalIssuer;
beforeAll(async () => {
  simulator = await startSharedSimulator({ tenant: tenantWithBob(), consent: { granted: true } });
  issuer = await LocalIssuer.create();
});
afterAll(() => simulator.close());

async function enrichedFor(rules: Record<string, unknown> | null): Promise<Viewers> {
  const setup = await startHarness({ sharedSimulator: simulator });
  await configure(setup, rules ? { rules } : {});
  await request(setup.app).post('/api/consent/check').expect(200);
  await runNow(setup);
  const app = await startHarness({
    config: productionConfig(),
    sharedSimulator: simulator,
    stores: setup.stores,
    tokenVerifier: createEntraTokenVerifier({ tenantId: TENANT, audience: SSO_AUDIENCE, keys: issuer.keys, clock: { now: () => new Date(T) } }),
  });
  const now = new Date(T);
  return {
    setup,
    app,
    admin: await issuer.sign(now, { oid: ADMIN_OID, name: 'Ada Admin' }),
    seller: await issuer.sign(now, { oid: USER_OID, name: 'Rita Seller' }),
  };
}

async function close(v: Viewers): Promise<void> {
  await v.app.close();
  await v.setup.close();
}

const get = (v: Viewers, token: string, path: string) => request(v.app.app).get(path).set('Authorization', `Bearer ${token}`);
const post = (v: Viewers, token: string, path: string, body: object) => request(v.app.app).post(path).set('Authorization', `Bearer ${token}`).send(body);
const byId = (rows: OfficeRow[]) => new Map(rows.map((r) => [r.AccountId, r]));
const hiddenShape = (stored: OfficeRow) => ({
  ...Object.fromEntries(KEPT_COLUMNS.map((c) => [c, stored[c]])),
  ...Object.fromEntries(ACTIVITY_COLUMNS.map((c) => [c, null])),
  privacy: { hidden: true, minimumColleagues: 2 },
});
const rule = (column: string, operator: string, value?: number) => ({ kind: 'group', op: 'and', children: [{ kind: 'condition', column, operator, ...(value === undefined ? {} : { value }) }] });

describe('minimumColleagues = 2', () => {
  let v: Viewers;
  let stored: OfficeRow[];
  beforeAll(async () => {
    v = await enrichedFor({ minimumColleagues: 2 });
    stored = (await v.app.services.results.current())!.office;
  });
  afterAll(() => close(v));

  const storedRow = (accountId: string, level: 'year' | 'month' | 'week', start?: string) =>
    stored.find((r) => r.AccountId === accountId && r.AggregationLevel === level && (start === undefined || r.AggregationStartdate.startsWith(start)))!;

  it('when the configuration is read back, then the rules hold the threshold', async () => {
    const res = await get(v, v.seller, '/api/config');
    expect(res.body.config.rules.minimumColleagues).toBe(2);
  });

  it('when a seller reads the year rows, then accounts with one colleague keep score and band only and say why, and Fabrikam is whole', async () => {
    // Act
    const res = await get(v, v.seller, '/api/results/office?level=year&pageSize=500');

    // Assert
    expect(res.status).toBe(200);
    const rows = byId(res.body.rows);
    expect(rows.get('A')).toEqual(storedRow('A', 'year'));
    expect(rows.get('A')).not.toHaveProperty('privacy');
    for (const id of ['B', 'C', 'D', 'E', 'F', 'G']) expect(rows.get(id)).toEqual(hiddenShape(storedRow(id, 'year')));
    // The stored rows are what an admin sees: B was written to 90 days ago.
    expect(storedRow('B', 'year').DaysSinceLastemail).toBe(90);
  });

  it('when an admin reads the same rows, then every row is whole and none carries privacy', async () => {
    const res = await get(v, v.admin, '/api/results/office?level=year&pageSize=500');

    expect(res.body.rows).toEqual(expect.arrayContaining(stored.filter((r) => r.AggregationLevel === 'year')));
    expect(JSON.stringify(res.body)).not.toContain('privacy');
  });

  it('when a seller reads Fabrikam by week and by month, then only the periods in which both wrote are visible', async () => {
    for (const [level, both, bobAlone] of [
      ['week', '2026-02-16', '2026-01-19'],
      ['month', '2026-02', '2026-01'],
    ] as const) {
      const res = await get(v, v.seller, `/api/results/office?level=${level}&q=Fabrikam&pageSize=500`);
      const rows = res.body.rows as OfficeRow[];
      expect(rows.find((r) => r.AggregationStartdate.startsWith(both))).toEqual(storedRow('A', level, both));
      expect(rows.find((r) => r.AggregationStartdate.startsWith(bobAlone))).toEqual(hiddenShape(storedRow('A', level, bobAlone)));
    }
    expect(storedRow('A', 'week', '2026-01-19').NoOfContactsInvolved_Emails).toBe(1);
  });

  it('when a seller sorts by a hidden column, then hidden rows come last in AccountId order, so the order reveals nothing', async () => {
    const res = await get(v, v.seller, '/api/results/office?level=year&sort=DaysSinceLastemail&order=asc');

    expect((res.body.rows as OfficeRow[]).map((r) => r.AccountId)).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G']);
  });

  it('when a seller exports the CSV, then hidden cells are empty and a last ActivityHidden column says so; the admin export has the Office columns only', async () => {
    // Act
    const seller = await get(v, v.seller, '/api/results/office.csv?level=year');
    const admin = await get(v, v.admin, '/api/results/office.csv?level=year');

    // Assert
    const sellerRows = parse(seller.text, { columns: true }) as Record<string, string>[];
    expect(seller.text.split('\r\n')[0]).toBe([...OFFICE_COLUMNS, 'ActivityHidden'].join(','));
    const b = sellerRows.find((r) => r.AccountId === 'B')!;
    expect(b).toMatchObject({ EngagementScore: String(storedRow('B', 'year').EngagementScore), DaysSinceLastemail: '', NoOfEmails_FromAccount: '', ActivityHidden: 'true' });
    expect(sellerRows.find((r) => r.AccountId === 'A')).toMatchObject({ DaysSinceLastemail: '9', ActivityHidden: 'false' });
    expect(admin.text.split('\r\n')[0]).toBe(OFFICE_COLUMNS.join(','));
    expect((parse(admin.text, { columns: true }) as Record<string, string>[]).find((r) => r.AccountId === 'B')).toMatchObject({ DaysSinceLastemail: '90' });
  });

  it('when a seller opens a signed download link, then the export is the seller’s, hidden rows and all', async () => {
    const link = await post(v, v.seller, '/api/downloads', { path: '/api/results/office.json?level=year' });

    const res = await request(v.app.app).get(link.body.url as string);

    expect(res.status).toBe(200);
    expect(byId(res.body.rows).get('B')).toEqual(hiddenShape(storedRow('B', 'year')));
  });

  it('when a seller opens a hidden account’s card, then score, band and change stay, and activity, history, signals and staleness are hidden', async () => {
    // Act
    const seller = await get(v, v.seller, '/api/accounts/B');
    const admin = await get(v, v.admin, '/api/accounts/B');

    // Assert
    expect(seller.body.year).toEqual(hiddenShape(storedRow('B', 'year')));
    expect((seller.body.months as OfficeRowView[]).every((r) => r.privacy?.hidden === true && r.NoOfEmails_ToAccount === null)).toBe(true);
    expect((seller.body.weeks as OfficeRow[]).length).toBeGreaterThan(0);
    expect((seller.body.weeks as OfficeRowView[]).every((r) => r.privacy?.hidden === true)).toBe(true);
    expect(seller.body.explanation).toMatchObject({ score: admin.body.explanation.score, band: admin.body.explanation.band, signals: [] });
    expect(seller.body.stale).toBe(false);
    expect(admin.body.year).toEqual(storedRow('B', 'year'));
    expect(admin.body.explanation.signals.length).toBeGreaterThan(0);
    expect(admin.body.stale).toBe(true);
  });

  it('when a seller searches, then the answer holds only id, name, score and band, as for everyone', async () => {
    const res = await get(v, v.seller, '/api/accounts?q=north');
    expect(res.body.accounts).toEqual([{ accountId: 'B', name: 'Northwind Traders', score: storedRow('B', 'year').EngagementScore, band: storedRow('B', 'year').EngagementBand }]);
  });

  it('when a seller reads the overview and the segments, then hidden accounts are never stale; an admin sees the stale accounts of DESIGN §3', async () => {
    const sellerOverview = await get(v, v.seller, '/api/results/overview');
    const adminOverview = await get(v, v.admin, '/api/results/overview');
    const sellerSegments = await get(v, v.seller, '/api/segments');
    const adminSegments = await get(v, v.admin, '/api/segments');
    const sellerStale = await get(v, v.seller, '/api/segments/stale/members');

    expect(sellerOverview.body.staleCount).toBe(0);
    expect(adminOverview.body.staleCount).toBe(STALE_AT_DEFAULTS.length);
    expect(sellerOverview.body.bands).toEqual(adminOverview.body.bands);
    expect(sellerSegments.body.segments[0]).toMatchObject({ id: 'stale', memberCount: 0 });
    expect(adminSegments.body.segments[0]).toMatchObject({ id: 'stale', memberCount: STALE_AT_DEFAULTS.length });
    expect(sellerStale.body).toEqual({ total: 0, members: [] });
  });

  it.each([
    ['a comparison on a hidden column', rule('DaysSinceLastemail', '<', 100), ['A'], ['A', 'B', 'C', 'F', 'G']],
    ['isEmpty on a hidden column', rule('DaysSinceLastemail', 'isEmpty'), [], ['D']],
    ['!= on a hidden column', rule('DaysSinceLastemail', '!=', 9), [], ['B', 'C', 'D', 'E', 'F', 'G']],
    ['a condition on the score', rule('EngagementScore', '>=', 0), ['A', 'B', 'C', 'D', 'E', 'F', 'G'], ['A', 'B', 'C', 'D', 'E', 'F', 'G']],
  ])('when a segment rule is %s, then a seller’s members are decided by visible values only', async (_label, segmentRule, sellerIds, adminIds) => {
    const seller = await post(v, v.seller, '/api/segments/preview', { rule: segmentRule });
    const admin = await post(v, v.admin, '/api/segments/preview', { rule: segmentRule });

    expect((seller.body.members as OfficeRow[]).map((r) => r.AccountId)).toEqual(sellerIds);
    expect((admin.body.members as OfficeRow[]).map((r) => r.AccountId)).toEqual(adminIds);
  });

  it('when a seller saves a segment on a hidden column, then its count and its CSV members follow the seller’s view', async () => {
    // Act
    const created = await post(v, v.seller, '/api/segments', { name: 'Written to lately', rule: rule('DaysSinceLastemail', '<', 100) });
    const csv = await get(v, v.seller, `/api/segments/${created.body.id}/members?format=csv`);
    const adminView = await get(v, v.admin, `/api/segments/${created.body.id}`);

    // Assert
    expect(created.status).toBe(201);
    expect(created.body.memberCount).toBe(1);
    expect(adminView.body.memberCount).toBe(5);
    expect(csv.text.split('\r\n')[0]).toBe([...OFFICE_COLUMNS, 'ActivityHidden'].join(','));
    expect((parse(csv.text, { columns: true }) as Record<string, string>[]).map((r) => [r.AccountId, r.ActivityHidden])).toEqual([['A', 'false']]);
  });

  it('when a seller asks for measures, then hidden values count for nothing, by year and by month', async () => {
    const body = { fn: 'sum', column: 'NoOfEmails_ToAccount', byMonth: true };
    const seller = await post(v, v.seller, '/api/measures', body);
    const admin = await post(v, v.admin, '/api/measures', body);
    const sellerCount = await post(v, v.seller, '/api/measures', { fn: 'count' });

    const years = stored.filter((r) => r.AggregationLevel === 'year');
    expect(seller.body.value).toBe(storedRow('A', 'year').NoOfEmails_ToAccount);
    expect(admin.body.value).toBe(years.reduce((sum, r) => sum + r.NoOfEmails_ToAccount, 0));
    expect(seller.body.value).toBeLessThan(admin.body.value);
    const january = (m: { month: string; value: number }[]) => m.find((x) => x.month.startsWith('2026-01'))!.value;
    // In January only Bob wrote to Fabrikam (hidden), and Alice's January emails went to accounts she alone writes to.
    expect(january(seller.body.byMonth)).toBe(0);
    expect(january(admin.body.byMonth)).toBeGreaterThan(0);
    expect(sellerCount.body.value).toBe(7);
  });
});

describe('the bot’s view (server/src/bot-engagement.ts)', () => {
  let v: Viewers;
  beforeAll(async () => {
    v = await enrichedFor({ minimumColleagues: 2 });
  });
  afterAll(() => close(v));

  it('when the bot reads rows, even for an admin’s command, then it reads them as a non-admin: hidden rows and explanations without signals', async () => {
    // Arrange: the admin's object id is configured, so isAdmin is true for them; reading does not care.
    const port = createEngagementPort(productionConfig(), v.app.services);
    expect(await port.isAdmin(ADMIN_OID)).toBe(true);

    // Act
    const rows = byId((await port.yearRows()) as OfficeRow[]);
    const hidden = await port.account('B');
    const visible = await port.account('A');

    // Assert
    expect(rows.get('B')).toMatchObject({ DaysSinceLastemail: null, NoOfEmails_ToAccount: null, privacy: { hidden: true, minimumColleagues: 2 } });
    expect(rows.get('A')?.DaysSinceLastemail).toBe(9);
    expect(hidden).toMatchObject({ year: { AccountId: 'B', LastOutboundDate: null, privacy: { hidden: true } }, explanation: { signals: [] } });
    expect(visible?.explanation.signals.length).toBeGreaterThan(0);
  });
});

describe('minimumColleagues = 1 (the default)', () => {
  let v: Viewers;
  beforeAll(async () => {
    v = await enrichedFor(null);
  });
  afterAll(() => close(v));

  it('when nothing is configured, then the rules say 1', async () => {
    expect((await get(v, v.seller, '/api/config')).body.config.rules.minimumColleagues).toBe(1);
  });

  it.each([
    '/api/results/office?level=year&pageSize=500',
    '/api/results/office?level=week&sort=DaysSinceLastemail&pageSize=500',
    '/api/results/office.csv?level=month',
    '/api/results/office.json?level=year',
    '/api/results/overview',
    '/api/accounts/B',
    '/api/accounts/D',
    '/api/segments',
    '/api/segments/stale/members?format=csv',
  ])('when a seller and an admin ask for %s, then they get the same answer', async (path) => {
    const seller = await get(v, v.seller, path);
    const admin = await get(v, v.admin, path);

    expect(seller.status).toBe(200);
    expect(seller.text).toBe(admin.text);
    expect(seller.text).not.toContain('privacy');
    expect(seller.text).not.toContain('ActivityHidden');
  });

  it('when the threshold is saved as 1 explicitly after being 2, then the seller sees everything again', async () => {
    // Arrange: raise it, check it bites, then lower it.
    const datasetId = await uploadContacts(v.setup);
    await request(v.setup.app).put('/api/config').send(configBody(datasetId, { rules: { minimumColleagues: 2 } })).expect(200);
    expect((await get(v, v.seller, '/api/accounts/B')).body.year.privacy).toEqual({ hidden: true, minimumColleagues: 2 });

    // Act
    await request(v.setup.app).put('/api/config').send(configBody(datasetId, { rules: { minimumColleagues: 1 } })).expect(200);

    // Assert
    const seller = await get(v, v.seller, '/api/accounts/B');
    expect(seller.body.year).not.toHaveProperty('privacy');
    expect(seller.body.year.DaysSinceLastemail).toBe(90);
  });
});

describe('PUT /api/config: rules.minimumColleagues', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ sharedSimulator: simulator });
  });
  afterEach(() => h.close());

  it.each([
    [0, 'must be at least 1'],
    [101, 'must be at most 100'],
    [2.5, 'whole number'],
    ['3', 'whole number'],
  ])('when it is %p, then 400 says what fits and nothing is saved', async (value, message) => {
    const datasetId = await uploadContacts(h);
    const before = structuredClone(await h.stores.state.read());

    const res = await request(h.app).put('/api/config').send(configBody(datasetId, { rules: { minimumColleagues: value } }));

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.message).toContain('minimumColleagues');
    expect(res.body.error.message).toContain(message);
    expect(await h.stores.state.read()).toEqual(before);
  });

  it('when it is 100, then it is saved', async () => {
    const datasetId = await uploadContacts(h);
    const res = await request(h.app).put('/api/config').send(configBody(datasetId, { rules: { minimumColleagues: 100 } }));
    expect(res.status).toBe(200);
    expect(res.body.config.rules.minimumColleagues).toBe(100);
  });
});
