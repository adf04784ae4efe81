/**
 * The API and the headless command are two doors to the same job: on the same fixture and the
 * same run time, the API's Office table, customer card and CSV export equal `npm run enrich`'s.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import request from 'supertest';
import type { OfficeRow } from '../../api/src/engagement/types';
import { csvLine } from '../../api/src/enrichment/office-csv';
import { generateTenant } from '../../api/src/simulator/generator';
import type { TenantFixture } from '../../api/src/simulator';
import { consent, runNow, startHarness, type Harness } from './support/harness';

const T = '2026-03-02T12:00:00.000Z';
const generated = generateTenant({ mailboxes: 5, accounts: 24, seed: 21, now: T, messagesPerMailbox: 250, meetingsPerMailbox: 30 });
const fixture = generated.fixture as TenantFixture;
const contactsCsv = csvLine(['email', 'account_id', 'account_name']) + generated.contacts.map((c) => csvLine([c.email, c.account_id, c.account_name])).join('');
const org = 'allsales@contoso.com';

const byKey = (r: OfficeRow) => `${r.AccountId}|${r.AggregationLevel}|${r.AggregationStartdate}`;
const sorted = (rows: OfficeRow[]) => [...rows].sort((a, b) => (byKey(a) < byKey(b) ? -1 : byKey(a) > byKey(b) ? 1 : 0));

let cli: { office: OfficeRow[] };
let cliCsv: string[];
let h: Harness;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rapport-agree-'));
  await writeFile(path.join(dir, 'tenant.json'), JSON.stringify(fixture));
  await writeFile(path.join(dir, 'contacts.csv'), contactsCsv);
  const root = path.resolve(__dirname, '../..');
  await promisify(execFile)(
    path.join(root, 'node_modules/.bin/tsx'),
    ['api/src/cli/enrich.ts', '--tenant', path.join(dir, 'tenant.json'), '--customers', path.join(dir, 'contacts.csv'), '--email-column', 'email',
      '--account-column', 'account_id', '--account-name-column', 'account_name', '--org', org, '--now', T,
      '--out', path.join(dir, 'r.json'), '--csv', path.join(dir, 'r.csv')],
    { cwd: root },
  );
  cli = JSON.parse(await readFile(path.join(dir, 'r.json'), 'utf8'));
  cliCsv = (await readFile(path.join(dir, 'r.csv'), 'utf8')).trim().split('\r\n');

  h = await startHarness({ simulator: { tenant: fixture }, now: T });
  const upload = await request(h.app).post('/api/datasets?kind=contacts&fileName=contacts.csv').set('Content-Type', 'text/csv').send(contactsCsv).expect(201);
  await request(h.app)
    .put('/api/config')
    .send({
      name: 'Agreement',
      orgEntries: [org],
      consentAccepted: true,
      contacts: { datasetId: upload.body.datasetId, mapping: { email: 'email', accountId: 'account_id', accountName: 'account_name' } },
    })
    .expect(200);
  expect((await consent(h)).status).toBe(200);
  expect(await runNow(h)).toMatchObject({ status: 'succeeded' });
}, 120_000);

afterAll(async () => {
  await h?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the API agrees with npm run enrich', () => {
  it.each(['year', 'month', 'week'] as const)('when the %s rows are read through the API, then they equal the command’s', async (level) => {
    const res = await request(h.app).get(`/api/results/office.json?level=${level}`).expect(200);
    const expected = cli.office.filter((r) => r.AggregationLevel === level);
    expect(expected.length).toBeGreaterThan(0);
    expect(sorted(res.body.rows)).toEqual(sorted(expected));
  });

  it('when a customer card is opened, then its year, month and week rows equal the command’s', async () => {
    const busiest = cli.office.filter((r) => r.AggregationLevel === 'year').sort((a, b) => b.EngagementScore - a.EngagementScore)[0]!;
    const res = await request(h.app).get(`/api/accounts/${encodeURIComponent(busiest.AccountId)}`).expect(200);
    const mine = cli.office.filter((r) => r.AccountId === busiest.AccountId);
    expect(res.body.year).toEqual(busiest);
    expect(sorted(res.body.months)).toEqual(sorted(mine.filter((r) => r.AggregationLevel === 'month')));
    expect(sorted(res.body.weeks)).toEqual(sorted(mine.filter((r) => r.AggregationLevel === 'week')));
  });

  it('when the Office table is exported as CSV, then its lines are the command’s lines for that level', async () => {
    const res = await request(h.app).get('/api/results/office.csv?level=year').expect(200);
    const lines = String(res.text).trim().split('\r\n');
    expect(lines[0]).toBe(cliCsv[0]);
    const cliYear = cliCsv.slice(1).filter((l) => l.includes(',year,'));
    expect(lines.slice(1).sort()).toEqual(cliYear.sort());
  });
});
