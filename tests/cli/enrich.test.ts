/**
 * The headless command, run as a real child process against fixtures served by the simulator.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { OFFICE_COLUMNS, SEED_COLUMNS } from '../../api/src/engagement/types';
import { tinyTenant } from '../../api/src/simulator/test-tenant';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

async function enrich(args: string[]): Promise<Result> {
  try {
    const { stdout, stderr } = await run(tsx, ['api/src/cli/enrich.ts', ...args], { cwd: root, env: { ...process.env, CI: 'true' } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

let dir: string;
let base: string[];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'rapport-cli-'));
  await writeFile(path.join(dir, 'tenant.json'), JSON.stringify(tinyTenant()));
  await writeFile(path.join(dir, 'contacts.csv'), 'email,account_id,account_name\nbob@fabrikam.com,A1,Fabrikam\nx@northwind.com,A2,Northwind\n');
  base = ['--tenant', path.join(dir, 'tenant.json'), '--customers', path.join(dir, 'contacts.csv'), '--email-column', 'email', '--account-column', 'account_id', '--now', '2025-06-01T00:00:00Z'];
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('npm run enrich', () => {
  it('when run on a fixture, then it prints the summary and writes JSON and CSV with exact column names at three levels', async () => {
    const out = path.join(dir, 'ok', 'results.json');
    const csv = path.join(dir, 'ok', 'results.csv');
    const r = await enrich([...base, '--account-name-column', 'account_name', '--org', 'sales@contoso.com', '--out', out, '--csv', csv]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/accounts enriched:\s+1 of 2/);
    expect(r.stdout).toMatch(/emails processed:\s+25/);
    expect(r.stdout).toMatch(/Graph requests:\s+\d+/);
    expect(r.stdout).toMatch(/failures:\s+0/);
    expect(r.stderr).toMatch(/^progress \d+% /m);

    const doc = JSON.parse(await readFile(out, 'utf8'));
    expect(doc.run).toMatchObject({ accountsEnriched: 1, totalAccounts: 2, emailsProcessed: 25, failures: [] });
    const levels = new Set(doc.office.map((row: { AggregationLevel: string }) => row.AggregationLevel));
    expect([...levels].sort()).toEqual(['month', 'week', 'year']);
    for (const row of doc.office) expect(Object.keys(row).sort()).toEqual([...OFFICE_COLUMNS].sort());
    for (const column of SEED_COLUMNS) expect(doc.office[0]).toHaveProperty(column);
    expect(doc.officeUserTable).toEqual([{ ObjectId: expect.any(String) }, { ObjectId: expect.any(String) }]);

    const lines = (await readFile(csv, 'utf8')).trim().split('\r\n');
    expect(lines[0]).toBe(OFFICE_COLUMNS.join(','));
    expect(lines).toHaveLength(doc.office.length + 1);
  }, 60_000);

  it.each([
    ['a mapped column is missing', ['--org', 'sales@contoso.com', '--account-name-column', 'name'], /contacts\.csv: no column "name"/],
    ['an unknown group is named', ['--org', 'nosuch@contoso.com,sales@contoso.com'], /Not found in the directory: nosuch@contoso\.com/],
    ['fewer than 2 mailboxes are selected', ['--org', 'alice@contoso.com'], /resolve to 1 mailbox; Rapport needs at least 2/],
    ['--now is not a time', ['--org', 'sales@contoso.com', '--now', 'yesterday'], /--now "yesterday" is not an ISO 8601 time/],
    ['an unknown flag is given', ['--org', 'sales@contoso.com', '--colour'], /Unknown option '--colour'/],
  ])('when %s, then it exits non-zero with one clear line and writes nothing', async (_label, extra, message) => {
    const outDir = await mkdtemp(path.join(dir, 'bad-'));
    const r = await enrich([...base, ...extra, '--out', path.join(outDir, 'r.json'), '--csv', path.join(outDir, 'r.csv')]);
    expect(r.code).toBe(2);
    const errorLines = r.stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('progress '));
    expect(errorLines).toHaveLength(1);
    expect(errorLines[0]).toMatch(/^enrich: /);
    expect(errorLines[0]).toMatch(message);
    expect(await readdir(outDir)).toEqual([]);
  }, 60_000);

  it('when the CSV is malformed, then the error names the file and the line', async () => {
    const bad = path.join(dir, 'bad.csv');
    await writeFile(bad, 'email,account_id\nbob@fabrikam.com,A1\nbroken\n');
    const r = await enrich([...base.map((a) => (a.endsWith('contacts.csv') ? bad : a)), '--org', 'sales@contoso.com']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/enrich: .*bad\.csv line 3/);
  }, 60_000);

  it('when the customers file is separated by semicolons, then it is read like the comma file', async () => {
    const semicolons = path.join(dir, 'contacts-semicolon.csv');
    await writeFile(semicolons, 'email;account_id;account_name\r\nbob@fabrikam.com;A1;"Fabrikam; Inc"\r\nx@northwind.com;A2;Northwind\r\n');
    const r = await enrich([...base.map((a) => (a.endsWith('contacts.csv') ? semicolons : a)), '--account-name-column', 'account_name', '--org', 'sales@contoso.com']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/accounts enriched:\s+1 of 2/);
    expect(r.stdout).toMatch(/emails processed:\s+25/);
  }, 60_000);

  it('when the customers file is not UTF-8, then it exits 2 with one line naming the file, the byte and the line', async () => {
    const latin1 = path.join(dir, 'latin1.csv');
    await writeFile(latin1, Buffer.from('email,account_id,account_name\nbob@fabrikam.com,A1,Caf\u00e9\n', 'latin1'));
    const outDir = await mkdtemp(path.join(dir, 'bad-'));
    const r = await enrich([...base.map((a) => (a.endsWith('contacts.csv') ? latin1 : a)), '--org', 'sales@contoso.com', '--out', path.join(outDir, 'r.json')]);
    expect(r.code).toBe(2);
    const errorLines = r.stderr.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('progress '));
    expect(errorLines).toEqual([`enrich: ${latin1}: the file is not valid UTF-8 at byte 53 (line 2); save it as UTF-8 and upload it again.`]);
    expect(await readdir(outDir)).toEqual([]);
  }, 60_000);
});
