/** Dataset ids at the edge, datasets as files of their own, and the pruning policy, through the API. */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import type { RunningSimulator } from '../../api/src/simulator';
import { openDatasetStore } from '../../api/src/store/file-dataset-store';
import { demoConfig } from './support/config';
import { configBody, startHarness, startSharedSimulator, uploadContacts, type Harness } from './support/harness';
import { tempDirs } from '../support/temp-dirs';

let simulator: RunningSimulator;
let h: Harness;
const dataDir = tempDirs('rapport-api-datasets-');
beforeAll(async () => {
  simulator = await startSharedSimulator();
});
afterAll(async () => {
  await simulator.close();
});
afterEach(() => h?.close());

/** Ids a client might send: property names of every object, path tricks, a plausible unknown id, a long one. */
const BAD_IDS = [
  '__proto__',
  'toString',
  'constructor',
  'hasOwnProperty',
  'valueOf',
  'ds_nope',
  '..%2Fstate.json',
  'ds_0b0e9c1e-0000-4000-8000-00000000000a',
  'x'.repeat(300),
].map((id) => [id.length > 40 ? `${id.slice(0, 8)}… (${id.length} characters)` : id, id] as const);

describe('dataset ids that were never handed out', () => {
  beforeEach(async () => {
    h = await startHarness({ sharedSimulator: simulator });
    await uploadContacts(h);
  });

  it.each(BAD_IDS)('when GET /api/datasets/%s, then 404 NOT_FOUND says to upload the file again', async (_label, id) => {
    const res = await request(h.app).get(`/api/datasets/${id}`);
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('upload the file again') });
    if (!id.startsWith('ds_0b0e')) expect(res.body.error.message).toContain('dataset ids look like ds_ followed by a UUID');
  });

  it.each(BAD_IDS)('when the mapping step names %s, then 404 NOT_FOUND', async (_label, id) => {
    const res = await request(h.app).post(`/api/datasets/${id}/mapping`).send({ email: 'Email', accountId: 'AccountId' });
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('upload the file again') });
  });

  it.each(BAD_IDS)('when a configuration names %s as its contacts dataset, then 404 names the field and nothing is saved', async (_label, id) => {
    const writes = h.stores.state.writes;
    const res = await request(h.app).put('/api/config').send(configBody(id));
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('contacts.datasetId: there is no uploaded dataset') });
    expect(h.stores.state.writes).toBe(writes);
    expect((await request(h.app).get('/api/config')).body).toMatchObject({ version: 0, config: null });
  });

  it('when the mapping step names __proto__ as its accounts file, then 404 names accountsDatasetId', async () => {
    const contacts = (await request(h.app).get('/api/datasets')).body.datasets[0].id as string;
    const res = await request(h.app).post(`/api/datasets/${contacts}/mapping`).send({ email: 'Email', accountId: 'AccountId', accountsDatasetId: '__proto__' });
    expect(res.status).toBe(404);
    expect(res.body.error.message).toContain('accountsDatasetId: there is no uploaded dataset "__proto__"');
  });
});

describe('datasets on disk', () => {
  it('when a dataset is uploaded, then it is one record and one rows file, and a restarted server answers the same', async () => {
    const dir = await dataDir();
    h = await startHarness({ sharedSimulator: simulator, datasets: await openDatasetStore(dir) });
    const upload = await request(h.app).post('/api/datasets?kind=contacts&fileName=c.csv').set('Content-Type', 'text/csv').send('Email;AccountId\njane@fabrikam.com;A\n');
    expect(upload.status).toBe(201);
    expect(upload.body).toMatchObject({ rows: 1, columns: ['Email', 'AccountId'], delimiter: 'semicolon' });
    const id = upload.body.datasetId as string;
    expect((await readdir(path.join(dir, 'datasets'))).sort()).toEqual([`${id}.json`, `${id}.ndjson`]);
    await h.close();

    h = await startHarness({ sharedSimulator: simulator, datasets: await openDatasetStore(dir) });
    expect((await request(h.app).get(`/api/datasets/${id}`)).body).toEqual(upload.body);
    const mapping = await request(h.app).post(`/api/datasets/${id}/mapping`).send({ email: 'Email', accountId: 'AccountId' });
    expect(mapping.body.report).toMatchObject({ rows: 1, contacts: 1, accounts: 1 });
  });

  it('when an upload fails part way, then 400 and no file is left in the datasets folder', async () => {
    const dir = await dataDir();
    h = await startHarness({ sharedSimulator: simulator, datasets: await openDatasetStore(dir) });
    const res = await request(h.app).post('/api/datasets?fileName=bad.csv').set('Content-Type', 'text/csv').send('Email,AccountId\na@b.com,1\nc@d.com,2,extra\n');
    expect(res.status).toBe(400);
    expect(await readdir(path.join(dir, 'datasets'))).toEqual([]);
    expect((await request(h.app).get('/api/datasets')).body).toEqual({ datasets: [] });
  });
});

describe('pruning unused datasets', () => {
  const MINUTE = 60_000;
  const upload = async (name: string): Promise<string> => {
    await h.time.advance(MINUTE);
    return uploadContacts(h, `Email,AccountId,AccountName\n${name}@fabrikam.com,A,Fabrikam`);
  };
  const listed = async () => ((await request(h.app).get('/api/datasets')).body.datasets as { id: string }[]).map((d) => d.id);

  it('when more unused datasets are uploaded than are kept, then the oldest unused go and the configured one stays', async () => {
    const dir = await dataDir();
    h = await startHarness({
      sharedSimulator: simulator,
      config: demoConfig({ datasets: { keepUnreferenced: 2, maxUnreferencedBytes: 1024 * 1024 } }),
      datasets: await openDatasetStore(dir),
    });
    const configured = await upload('configured');
    expect((await request(h.app).put('/api/config').send(configBody(configured))).status).toBe(200);
    await h.time.advance(31 * MINUTE); // past the half hour a read keeps a dataset in use
    const b = await upload('b');
    const c = await upload('c');
    const d = await upload('d');
    expect(await listed()).toEqual([d, c, configured]);
    expect((await readdir(path.join(dir, 'datasets'))).filter((f) => f.startsWith(b))).toEqual([]);
    expect((await request(h.app).get(`/api/datasets/${b}`)).status).toBe(404);
  });

  it('when the mapping step read a dataset less than half an hour ago, then it is kept; after that it may go', async () => {
    h = await startHarness({ sharedSimulator: simulator, config: demoConfig({ datasets: { keepUnreferenced: 1, maxUnreferencedBytes: 1024 * 1024 } }) });
    const mapped = await upload('mapped');
    expect((await request(h.app).post(`/api/datasets/${mapped}/mapping`).send({ email: 'Email', accountId: 'AccountId' })).status).toBe(200);
    const y = await upload('y');
    const z = await upload('z');
    expect(await listed()).toEqual([z, mapped]);
    expect(await listed()).not.toContain(y);

    await h.time.advance(30 * MINUTE);
    const w = await upload('w');
    expect(await listed()).toEqual([w]);
  });
});
