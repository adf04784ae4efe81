/** Results: overview, the Office table with filters, exports, the user table, customer cards, search. */
import request from 'supertest';
import { parse } from 'csv-parse/sync';
import { OFFICE_COLUMNS, type OfficeRow } from '../../api/src/engagement/types';
import type { RunningSimulator } from '../../api/src/simulator';
import { configure, runNow, startHarness, startSharedSimulator, type Harness } from './support/harness';
import { STALE_AT_DEFAULTS } from './support/tenant';

let simulator: RunningSimulator;
let h: Harness;
beforeAll(async () => {
  simulator = await startSharedSimulator({ consent: { granted: true } });
});
afterAll(() => simulator.close());
beforeEach(async () => {
  h = await startHarness({ sharedSimulator: simulator });
});
afterEach(() => h.close());

/** Configure, consent (the permissions are already granted in the simulator), run. */
async function enriched(): Promise<void> {
  await configure(h);
  await request(h.app).post('/api/consent/check').expect(200);
  await runNow(h);
}

describe('GET /api/results/overview', () => {
  it('when nothing has run, then every figure is zero and there is no last run', async () => {
    const res = await request(h.app).get('/api/results/overview');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ lastRun: null, totalAccounts: 0, accountsEnriched: 0, bands: { High: 0, Medium: 0, Low: 0 }, staleCount: 0, history: [] });
  });

  it('when runs succeeded, then the totals, bands, stale count and the history across runs are shown', async () => {
    await enriched();
    h.time.set('2026-03-09T12:00:00Z');
    await runNow(h);
    const res = await request(h.app).get('/api/results/overview');
    expect(res.body).toMatchObject({
      totalAccounts: 7,
      accountsEnriched: 6,
      emailsProcessed: 7,
      // A week later, Tailspin's upcoming meeting (5 days after T) is in the past.
      meetingsProcessed: 3,
      daysCovered: expect.any(Number),
      staleCount: expect.any(Number),
      lastRun: { status: 'succeeded', startedAt: '2026-03-09T12:00:00.000Z' },
      configVersion: 1,
    });
    const { High, Medium, Low } = res.body.bands as Record<string, number>;
    expect(High + Medium + Low).toBe(7);
    expect(res.body.history.map((p: { accountsEnriched: number }) => p.accountsEnriched)).toEqual([6, 6]);
    expect(res.body.history[0].finishedAt < res.body.history[1].finishedAt).toBe(true);
  });
});

describe('GET /api/results/office', () => {
  beforeEach(enriched);

  it('when the year level is asked, then there is one row per account with every column, best score first', async () => {
    const res = await request(h.app).get('/api/results/office?level=year');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ total: 7, page: 1, pageSize: 50, level: 'year', buckets: ['2025-03-02T00:00:00.000Z'] });
    const rows = res.body.rows as OfficeRow[];
    expect(rows.map((r) => r.AccountId).sort()).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G']);
    for (const row of rows) expect(Object.keys(row).sort()).toEqual([...OFFICE_COLUMNS].sort());
    const scores = rows.map((r) => r.EngagementScore);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it('when sorted by a column with nulls, then nulls come last in both directions', async () => {
    const asc = (await request(h.app).get('/api/results/office?sort=DaysSinceLastMeeting&order=asc')).body.rows as OfficeRow[];
    const desc = (await request(h.app).get('/api/results/office?sort=DaysSinceLastMeeting&order=desc')).body.rows as OfficeRow[];
    expect(asc.map((r) => r.DaysSinceLastMeeting)).toEqual([30, 100, null, null, null, null, null]);
    expect(desc.map((r) => r.DaysSinceLastMeeting)).toEqual([100, 30, null, null, null, null, null]);
  });

  it('when filtered by text, band and paged, then only matching rows come back with the full total', async () => {
    const q = await request(h.app).get('/api/results/office?q=north');
    expect(q.body.rows.map((r: OfficeRow) => r.AccountName)).toEqual(['Northwind Traders']);
    const band = await request(h.app).get('/api/results/office?band=Low');
    expect(band.body.rows.every((r: OfficeRow) => r.EngagementBand === 'Low')).toBe(true);
    const page = await request(h.app).get('/api/results/office?sort=AccountId&order=asc&page=2&pageSize=3');
    expect(page.body).toMatchObject({ total: 7, page: 2, pageSize: 3 });
    expect(page.body.rows.map((r: OfficeRow) => r.AccountId)).toEqual(['D', 'E', 'F']);
  });

  it('when the month level is filtered by a bucket, then only that month is returned and buckets lists the months', async () => {
    const all = await request(h.app).get('/api/results/office?level=month');
    expect(all.body.buckets.length).toBeGreaterThan(1);
    const bucket = all.body.buckets[0] as string;
    const res = await request(h.app).get(`/api/results/office?level=month&bucket=${encodeURIComponent(bucket)}`);
    expect(res.body.rows.length).toBeGreaterThan(0);
    expect(res.body.rows.every((r: OfficeRow) => r.AggregationLevel === 'month' && r.AggregationStartdate === bucket)).toBe(true);
  });

  it.each([
    ['pageSize=501', 'query.pageSize'],
    ['level=day', 'query.level'],
    ['sort=Subject', 'query.sort'],
    ['page=0', 'query.page'],
  ])('when the query has %s, then 400 VALIDATION_FAILED names %s', async (query, path) => {
    const res = await request(h.app).get(`/api/results/office?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining(path) });
  });
});

describe('exports', () => {
  beforeEach(enriched);

  it('when the CSV is exported, then its header is OFFICE_COLUMNS and its rows match the JSON rows', async () => {
    const csv = await request(h.app).get('/api/results/office.csv?level=month&sort=AccountId&order=asc');
    expect(csv.status).toBe(200);
    expect(csv.type).toBe('text/csv');
    expect(csv.headers['content-disposition']).toContain('office.csv');
    const json = await request(h.app).get('/api/results/office.json?level=month&sort=AccountId&order=asc');
    const rows = json.body.rows as OfficeRow[];
    const records = parse(csv.text, { columns: false }) as string[][];
    expect(records[0]).toEqual([...OFFICE_COLUMNS]);
    expect(records).toHaveLength(rows.length + 1);
    records.slice(1).forEach((record, i) => {
      expect(record).toEqual(OFFICE_COLUMNS.map((c) => (rows[i]![c] === null ? '' : String(rows[i]![c]))));
    });
  });
});

describe('GET /api/results/user-table', () => {
  it('when an admin reads it, then it holds object ids only', async () => {
    await enriched();
    const res = await request(h.app).get('/api/results/user-table');
    expect(res.body).toEqual({ rows: [{ ObjectId: 'u-alice' }, { ObjectId: 'u-bob' }] });
  });
});

describe('accounts', () => {
  beforeEach(enriched);

  it('when a customer card is opened, then it has the year row, monthly and weekly rows, the explanation and the stale flag', async () => {
    const res = await request(h.app).get('/api/accounts/A');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      account: { accountId: 'A', name: 'Fabrikam' },
      year: { AccountId: 'A', AggregationLevel: 'year', NoOfEmails_ToAccount: 1, NoOfEmails_FromAccount: 1, DaysSinceLastemail: 9 },
      stale: false,
      explanation: { score: expect.any(Number), band: expect.any(String), active: true, change: null },
    });
    expect(res.body.months.every((r: OfficeRow) => r.AggregationLevel === 'month')).toBe(true);
    expect(res.body.weeks.length).toBeGreaterThan(0);
    expect(res.body.explanation.signals.map((s: { signal: string }) => s.signal)).toEqual(['emails', 'meetings', 'breadth', 'recency', 'reciprocity']);
    const points = (res.body.explanation.signals as { points: number }[]).reduce((a, s) => a + s.points, 0);
    expect(Math.abs(points - res.body.explanation.score)).toBeLessThanOrEqual(1);
  });

  it('when a stale account is opened, then stale is true', async () => {
    for (const id of STALE_AT_DEFAULTS) expect((await request(h.app).get(`/api/accounts/${id}`)).body.stale).toBe(true);
  });

  it('when the account is unknown, then 404 NOT_FOUND names it', async () => {
    const res = await request(h.app).get('/api/accounts/ZZZ');
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain('ZZZ');
  });

  it('when searching fuzzily, then names match by prefix, substring and letters in order, best first', async () => {
    expect((await request(h.app).get('/api/accounts?q=north')).body.accounts).toEqual([{ accountId: 'B', name: 'Northwind Traders', score: expect.any(Number), band: expect.any(String) }]);
    expect((await request(h.app).get('/api/accounts?q=traders')).body.accounts.map((a: { accountId: string }) => a.accountId)).toEqual(['B']);
    expect((await request(h.app).get('/api/accounts?q=tlspn')).body.accounts.map((a: { accountId: string }) => a.accountId)).toEqual(['C']);
    expect((await request(h.app).get('/api/accounts?q=')).body.accounts).toHaveLength(7);
  });
});
