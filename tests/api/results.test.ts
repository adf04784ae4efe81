/** Results: overview, the Office table with filters, exports, the user table, customer cards, search. */
import request from 'supertest';
import { parse } from 'csv-parse/sync';
import { OFFICE_COLUMNS, type OfficeRow } from '../../api/src/engagement/types';
import type { RunningSimulator } from '../../api/src/simulator';
import { configBody, configure, runNow, startHarness, startSharedSimulator, uploadContacts, type Harness } from './support/harness';
import { CONTACTS_CSV, STALE_AT_DEFAULTS, T } from './support/tenant';

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

/** The hand-made contacts with an owner column: the demo's user owns A, B, C (shared with Rita) and G. */
const OWNED_CSV = [
  'Email,AccountId,AccountName,Owner',
  ...CONTACTS_CSV.split('\n')
    .slice(1)
    .map((line) => {
      const id = line.split(',')[1]!;
      const owner = ['A', 'B', 'G'].includes(id) ? 'Demo.Admin@Contoso.com' : id === 'C' ? '"rita@contoso.com; demo.admin@contoso.com"' : 'rita@contoso.com';
      return `${line},${owner}`;
    }),
].join('\n');

async function enrichedWithOwners(): Promise<void> {
  const datasetId = await uploadContacts(h, OWNED_CSV);
  const body = configBody(datasetId);
  const contacts = body.contacts as { datasetId: string; mapping: Record<string, string> };
  await request(h.app)
    .put('/api/config')
    .send({ ...body, contacts: { ...contacts, mapping: { ...contacts.mapping, owner: 'Owner' } } })
    .expect(200);
  await request(h.app).post('/api/consent/check').expect(200);
  await runNow(h);
}

describe('My accounts (owner column)', () => {
  it('when the owner column is mapped, then owner=me keeps the caller’s accounts and the overview has their figures', async () => {
    await enrichedWithOwners();

    const mine = await request(h.app).get('/api/results/office?owner=me&sort=AccountId&order=asc');
    expect(mine.status).toBe(200);
    expect(mine.body.rows.map((r: OfficeRow) => r.AccountId)).toEqual(['A', 'B', 'C', 'G']);
    expect(mine.body.total).toBe(4);
    const all = await request(h.app).get('/api/results/office');
    expect(all.body.total).toBe(7);

    const overview = (await request(h.app).get('/api/results/overview')).body;
    expect(overview.mine).toMatchObject({ ownerColumnMapped: true, email: 'demo.admin@contoso.com', totalAccounts: 4, accountsEnriched: 4, staleCount: 2, staleNeverContactedCount: 0 });
    const { High, Medium, Low } = overview.mine.bands as Record<string, number>;
    expect(High + Medium + Low).toBe(4);
    // The whole set's figures are unchanged by the owner column.
    expect(overview).toMatchObject({ totalAccounts: 7, staleCount: 3 });

    const csv = await request(h.app).get('/api/results/office.csv?owner=me&sort=AccountId&order=asc');
    expect((parse(csv.text, { columns: false }) as string[][]).slice(1).map((r) => r[0])).toEqual(['A', 'B', 'C', 'G']);
  });

  it('when no owner column is mapped, then the overview says so and owner=me is a 400 that says what to map', async () => {
    await enriched();

    const overview = (await request(h.app).get('/api/results/overview')).body;
    expect(overview.mine).toMatchObject({ ownerColumnMapped: false, email: 'demo.admin@contoso.com', totalAccounts: 0 });
    const res = await request(h.app).get('/api/results/office?owner=me');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('owner column') });
    expect((await request(h.app).get('/api/results/changes?owner=me')).status).toBe(400);
    expect((await request(h.app).get('/api/results/timeline?owner=me')).status).toBe(400);
  });

  it('when owner has another value, then 400 names the query field', async () => {
    const res = await request(h.app).get('/api/results/office?owner=rita@contoso.com');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('query.owner');
  });
});

describe('GET /api/results/changes', () => {
  it('when nothing has run, then every list is empty', async () => {
    const res = await request(h.app).get('/api/results/changes');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ resultsRunId: null, comparedWithPreviousRun: false, gains: [], drops: [], becameStale: [], upcomingMeetings: [], days: 7, staleDays: 60 });
  });

  it('when the first run is done, then there are no score changes, G went quiet a day ago and Tailspin meets within the week', async () => {
    await enriched();
    h.time.set(T);

    const res = await request(h.app).get('/api/results/changes');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ comparedWithPreviousRun: false, gains: [], drops: [], totals: { gains: 0, drops: 0, becameStale: 1, upcomingMeetings: 1 } });
    // G's last email was 61 days before the run (threshold 60); B went quiet 30 days ago, D was never contacted.
    expect(res.body.becameStale).toEqual([expect.objectContaining({ accountId: 'G', name: 'Wingtip', daysSinceLastContact: 61, becameStaleDaysAgo: 1 })]);
    expect(res.body.upcomingMeetings).toEqual([expect.objectContaining({ accountId: 'C', nextMeetingDate: expect.any(String) })]);

    const month = await request(h.app).get('/api/results/changes?days=31');
    expect(month.body.becameStale.map((a: { accountId: string }) => a.accountId)).toEqual(['G', 'B']);
  });

  it('when the reader looks after the meeting has passed, then it is no longer upcoming', async () => {
    await enriched();
    h.time.set('2026-03-08T12:00:00.000Z');
    expect((await request(h.app).get('/api/results/changes')).body.upcomingMeetings).toEqual([]);
  });

  it('when a second run changed scores, then gains are positive biggest first and drops negative steepest first', async () => {
    await enriched();
    h.time.set('2026-03-09T12:00:00Z');
    await runNow(h);

    const res = await request(h.app).get('/api/results/changes?limit=50');
    expect(res.body.comparedWithPreviousRun).toBe(true);
    const gains = (res.body.gains as { change: number }[]).map((a) => a.change);
    const drops = (res.body.drops as { change: number }[]).map((a) => a.change);
    expect(gains.every((c) => c > 0)).toBe(true);
    expect(drops.every((c) => c < 0)).toBe(true);
    expect(gains).toEqual([...gains].sort((a, b) => b - a));
    expect(drops).toEqual([...drops].sort((a, b) => a - b));
    const office = (await request(h.app).get('/api/results/office')).body.rows as OfficeRow[];
    expect(res.body.totals.gains).toBe(office.filter((r) => (r.EngagementScoreChange ?? 0) > 0).length);
    expect(res.body.totals.drops).toBe(office.filter((r) => (r.EngagementScoreChange ?? 0) < 0).length);
  });

  it('when the caller asks for their own, then only their accounts are in the lists', async () => {
    await enrichedWithOwners();
    h.time.set(T);
    const res = await request(h.app).get('/api/results/changes?owner=me&days=31');
    expect(res.body.becameStale.map((a: { accountId: string }) => a.accountId)).toEqual(['G', 'B']);
    expect(res.body.upcomingMeetings.map((a: { accountId: string }) => a.accountId)).toEqual(['C']);
  });

  it.each([
    ['limit=0', 'query.limit'],
    ['days=40', 'query.days'],
  ])('when the query has %s, then 400 names %s', async (query, path) => {
    const res = await request(h.app).get(`/api/results/changes?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain(path);
  });
});

describe('GET /api/results/timeline', () => {
  it('when nothing has run, then there are no weeks and no runs', async () => {
    expect((await request(h.app).get('/api/results/timeline')).body).toEqual({ weeks: [], runs: [] });
  });

  it('when a run is done, then every ISO week of the window is listed with its active accounts, matching the week rows', async () => {
    await enriched();
    const res = await request(h.app).get('/api/results/timeline');
    expect(res.status).toBe(200);
    const weeks = res.body.weeks as { weekStart: string; accounts: number }[];
    expect(weeks.length).toBeGreaterThanOrEqual(53);
    for (const w of weeks) expect(new Date(w.weekStart).getUTCDay()).toBe(1);
    const weekRows = (await request(h.app).get('/api/results/office?level=week&pageSize=500')).body.rows as OfficeRow[];
    expect(weeks.reduce((n, w) => n + w.accounts, 0)).toBe(weekRows.length);
    const byWeek = new Map(weeks.map((w) => [w.weekStart, w.accounts]));
    for (const r of weekRows) expect(byWeek.get(r.AggregationStartdate)).toBeGreaterThan(0);
    expect(res.body.runs).toEqual([{ finishedAt: expect.any(String), accountsEnriched: 6 }]);
  });

  it('when the caller asks for their own, then only their accounts count', async () => {
    await enrichedWithOwners();
    const all = (await request(h.app).get('/api/results/timeline')).body.weeks as { accounts: number }[];
    const mine = (await request(h.app).get('/api/results/timeline?owner=me')).body.weeks as { accounts: number }[];
    const sum = (ws: { accounts: number }[]) => ws.reduce((n, w) => n + w.accounts, 0);
    expect(sum(mine)).toBeGreaterThan(0);
    expect(sum(mine)).toBeLessThan(sum(all));
    mine.forEach((w, i) => expect(w.accounts).toBeLessThanOrEqual(all[i]!.accounts));
  });
});
