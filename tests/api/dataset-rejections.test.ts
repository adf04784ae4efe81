/**
 * Uploads you can trust (issue 16): a refused upload names the row and the fix, the readable
 * rows can be imported on their own with the others downloadable with a reason, and a template
 * shows what a good file looks like.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import type { RunningSimulator } from '../../api/src/simulator';
import { openDatasetStore } from '../../api/src/store/file-dataset-store';
import { tempDirs } from '../support/temp-dirs';
import { startHarness, startSharedSimulator, type Harness } from './support/harness';

let simulator: RunningSimulator;
let h: Harness;
const tempDir = tempDirs('rapport-api-rejections-');
beforeAll(async () => {
  simulator = await startSharedSimulator();
});
afterAll(() => simulator.close());
afterEach(() => h?.close());

const BROKEN = ['Email,AccountId,AccountName', 'ana@alpha.example.com,A1,Alpha', 'budi@beta.example.com,A2,Beta, Inc', 'cici@gamma.example.com,A3,"Gamma', 'dedi@delta.example.com,A4,Delta'].join('\r\n');

const upload = (csv: string, query = '') =>
  request(h.app)
    .post(`/api/datasets?kind=contacts&fileName=crm.csv${query}`)
    .set('Content-Type', 'text/csv')
    .send(csv);

describe('a file with unreadable rows', () => {
  beforeEach(async () => {
    h = await startHarness({ sharedSimulator: simulator });
  });

  it('when it is uploaded, then 400 names the first bad row as Excel numbers it and what to fix, details list every problem, and nothing is stored', async () => {
    const res = await upload(BROKEN);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('CSV_MALFORMED');
    expect(res.body.error.message).toBe(
      'crm.csv, row 3 has 4 values but the header has 3 columns. A value probably contains a comma: put that value in double quotes, or remove the extra value. 2 rows of 4 cannot be read; to import the 2 valid rows and set the others aside, send the file again with skipInvalid=true.',
    );
    expect(res.body.error.message).not.toMatch(/Invalid Record Length|Quote Not Closed/);
    expect(res.body.error.details).toEqual({
      fileName: 'crm.csv',
      problem: 'rowsRejected',
      rowProblem: 'tooManyValues',
      row: 3,
      line: 3,
      found: 4,
      expected: 3,
      delimiter: 'comma',
      validRows: 2,
      rejectedRows: 2,
      rejected: [
        { row: 3, line: 3, problem: 'tooManyValues', found: 4 },
        { row: 4, line: 4, problem: 'unclosedQuote', column: 'AccountName', columnNumber: 3 },
      ],
    });
    expect((await request(h.app).get('/api/datasets')).body.datasets).toEqual([]);
  });

  it('when it is uploaded with skipInvalid=true, then the valid rows are stored, the summary counts both, and the rejected rows come back with their reason', async () => {
    const res = await upload(BROKEN, '&skipInvalid=true');
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ fileName: 'crm.csv', rows: 2, rejectedRows: 2, preview: [{ Email: 'ana@alpha.example.com' }, { Email: 'dedi@delta.example.com' }] });
    const id = res.body.datasetId as string;
    expect((await request(h.app).get(`/api/datasets/${id}`)).body).toEqual(res.body);
    expect((await request(h.app).get('/api/datasets')).body.datasets).toEqual([expect.objectContaining({ id, rows: 2, rejectedRows: 2 })]);

    const rejected = await request(h.app).get(`/api/datasets/${id}/rejected.csv`);
    expect(rejected.status).toBe(200);
    expect(rejected.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(rejected.headers['content-disposition']).toMatch(/^attachment; filename="?crm-rejected\.csv"?$/);
    expect(rejected.text.split('\r\n')).toEqual([
      '\uFEFFReason,Email,AccountId,AccountName',
      '"Row 3 has 4 values but the header has 3 columns. A value probably contains a comma: put that value in double quotes, or remove the extra value.",budi@beta.example.com,A2,Beta,Inc',
      '"Row 4, column ""AccountName"": a double quote opens a value but is never closed. Add the closing quote at the end of the value, or remove the opening one.",cici@gamma.example.com,A3,"""Gamma"',
      '',
    ]);
    // The valid rows map as any upload does.
    const mapping = await request(h.app).post(`/api/datasets/${id}/mapping`).send({ email: 'Email', accountId: 'AccountId' });
    expect(mapping.body.report).toMatchObject({ rows: 2, contacts: 2 });
  });

  it('when a clean file is asked for its rejected rows, then the answer is the header alone', async () => {
    const res = await upload('Email,AccountId\na@alpha.example.com,A1\n', '&skipInvalid=true').expect(201);
    expect(res.body.rejectedRows).toBe(0);
    expect((await request(h.app).get(`/api/datasets/${res.body.datasetId}/rejected.csv`)).text).toBe('\uFEFFReason,Email,AccountId\r\n');
  });

  it('when an unknown dataset is asked for its rejected rows, then 404 says to upload again', async () => {
    const res = await request(h.app).get('/api/datasets/ds_0b0e9c1e-0000-4000-8000-00000000000a/rejected.csv');
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain('upload the file again');
  });

  it('when skipInvalid is not a boolean, then 400 names query.skipInvalid', async () => {
    const res = await upload(BROKEN, '&skipInvalid=yes');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('query.skipInvalid');
  });

  it.each([
    ['no column of email addresses', 'Name,AccountId\nAna,A1\n', 'CSV_MISSING_COLUMN', 'noEmailColumn', 'crm.csv has no column of email addresses'],
    ['no readable row at all', 'Email,AccountId\na@b.com\nc@d.com\n', 'CSV_MALFORMED', 'noValidRows', 'crm.csv: none of its 2 rows can be read'],
    ['a header only', 'Email,AccountId\n', 'CSV_MALFORMED', 'headerOnly', 'crm.csv has a header but no rows'],
  ])('when the file has %s, then even with skipInvalid it is refused in words', async (_name, csv, code, problem, message) => {
    const res = await upload(csv, '&skipInvalid=true');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code, message: expect.stringContaining(message), details: expect.objectContaining({ problem }) });
    expect((await request(h.app).get('/api/datasets')).body.datasets).toEqual([]);
  });
});

describe('GET /api/datasets/template.csv', () => {
  beforeEach(async () => {
    h = await startHarness({ sharedSimulator: simulator });
  });

  it.each([
    ['contacts', 'Email,AccountId,AccountName,Domain'],
    ['accounts', 'AccountId,AccountName,Domain'],
  ])('when the %s template is downloaded, then it is an attachment of example.com rows that uploads cleanly', async (kind, header) => {
    const res = await request(h.app).get(`/api/datasets/template.csv?kind=${kind}`);
    expect(res.status).toBe(200);
    expect(res.headers['content-disposition']).toBe(`attachment; filename=rapport-${kind}-template.csv`);
    const lines = res.text.split('\r\n');
    expect(lines[0]).toBe(`\uFEFF${header}`);
    expect(lines).toHaveLength(4);
    for (const line of lines.slice(1, 3)) expect(line).toMatch(/example\.com/);
    const uploaded = await request(h.app).post(`/api/datasets?kind=${kind}&fileName=template.csv`).set('Content-Type', 'text/csv').send(res.text);
    expect(uploaded.status).toBe(201);
    expect(uploaded.body).toMatchObject({ rows: 2, rejectedRows: 0, columns: header.split(',') });
  });

  it('when the kind is unknown, then 400 names query.kind', async () => {
    const res = await request(h.app).get('/api/datasets/template.csv?kind=leads');
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain('query.kind');
  });
});

describe('rejected rows on disk', () => {
  it('when a partial import is stored, then its rejected rows are a file next to it, served after a restart and removed with it', async () => {
    const dir = await tempDir();
    h = await startHarness({ sharedSimulator: simulator, datasets: await openDatasetStore(dir) });
    const res = await upload(BROKEN, '&skipInvalid=true').expect(201);
    const id = res.body.datasetId as string;
    expect((await readdir(path.join(dir, 'datasets'))).sort()).toEqual([`${id}.json`, `${id}.ndjson`, `${id}.rejected.csv`]);
    const first = (await request(h.app).get(`/api/datasets/${id}/rejected.csv`)).text;
    await h.close();

    const store = await openDatasetStore(dir);
    h = await startHarness({ sharedSimulator: simulator, datasets: store });
    expect((await request(h.app).get(`/api/datasets/${id}/rejected.csv`)).text).toBe(first);
    await store.remove([id]);
    expect(await readdir(path.join(dir, 'datasets'))).toEqual([]);
  });
});
