/**
 * The result set in files (FileResultsStore), through the API: every results route answers
 * exactly as with the in-memory store, a run's commit never serialises rows together, and a
 * restarted service reads the committed set back.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { RunningSimulator } from '../../api/src/simulator';
import { emptyAppState, type AppState } from '../../api/src/services/state';
import { MemoryDatasetStore } from '../../api/src/store/dataset-store';
import { MemoryDocument } from '../../api/src/store/document-store';
import { FileResultsStore } from '../../api/src/store/file-results-store';
import { configure, runNow, startHarness, startSharedSimulator, type Harness } from './support/harness';

let simulator: RunningSimulator;
let dir: string;
const harnesses: Harness[] = [];
beforeAll(async () => {
  simulator = await startSharedSimulator({ consent: { granted: true } });
  dir = await mkdtemp(path.join(os.tmpdir(), 'rapport-results-api-'));
});
afterAll(async () => {
  for (const h of harnesses) await h.close();
  await simulator.close();
  await rm(dir, { recursive: true, force: true });
});

async function fileStores(name: string): Promise<Harness['stores']> {
  return { state: new MemoryDocument<AppState>(emptyAppState()), results: await FileResultsStore.open(path.join(dir, name)), datasets: new MemoryDatasetStore() };
}

async function enriched(stores?: Harness['stores']): Promise<Harness> {
  const h = await startHarness({ sharedSimulator: simulator, ...(stores ? { stores } : {}) });
  harnesses.push(h);
  await configure(h);
  await request(h.app).post('/api/consent/check').expect(200);
  // Two runs, so that score changes and previous scores are in play.
  await runNow(h);
  h.time.set('2026-03-09T12:00:00Z');
  await runNow(h);
  return h;
}

/** Every read route, with filters, sorts and pages that cut through buckets and levels. */
const QUERIES = [
  '/api/results/office?level=year',
  '/api/results/office?level=month',
  '/api/results/office?level=week',
  '/api/results/office?level=week&page=2&pageSize=3',
  '/api/results/office?level=week&sort=AccountName&order=asc&pageSize=4&page=3',
  '/api/results/office?level=month&sort=DaysSinceLastemail&order=desc',
  '/api/results/office?level=month&bucket=2025-12',
  '/api/results/office?level=week&bucket=2025-12-29',
  '/api/results/office?level=week&bucket=2025-1&sort=AccountId',
  '/api/results/office?level=week&band=Low&q=wing',
  '/api/results/office?level=year&q=tail',
  '/api/results/office.json?level=week',
  '/api/results/office.csv?level=month&sort=NoOfEmails_ToAccount',
  '/api/results/user-table',
  '/api/results/overview',
  '/api/accounts?q=north',
  '/api/accounts/A',
  '/api/accounts/C',
  '/api/accounts/nobody',
];

/** The two services ran the same runs under different random ids. */
const withoutRunIds = (text: string) => text.replace(/run_[0-9a-f-]{36}/g, 'run_…');

describe('results in files', () => {
  let memory: Harness;
  let files: Harness;
  beforeAll(async () => {
    memory = await enriched();
    files = await enriched(await fileStores('parity'));
  });

  it.each(QUERIES)('when %s is asked, then the file store answers exactly as the in-memory one', async (url) => {
    const [a, b] = await Promise.all([request(memory.app).get(url), request(files.app).get(url)]);
    expect(b.status).toBe(a.status);
    expect(withoutRunIds(b.text)).toBe(withoutRunIds(a.text));
  });

  it('when a bucket is asked, then the answer has rows (so the comparisons above compare something)', async () => {
    for (const url of QUERIES.filter((q) => q.startsWith('/api/results/office?') && /bucket=|q=/.test(q))) expect((await request(files.app).get(url)).body.rows.length).toBeGreaterThan(0);
  });

  it('when the week level is paged, then the pages join up to the whole level, without gaps or repeats', async () => {
    const all = (await request(files.app).get('/api/results/office?level=week&pageSize=500')).body;
    const pages = [];
    for (let page = 1; page <= Math.ceil(all.total / 2); page += 1) pages.push(...(await request(files.app).get(`/api/results/office?level=week&pageSize=2&page=${page}`)).body.rows);
    expect(all.total).toBeGreaterThan(4);
    expect(pages).toEqual(all.rows);
  });

  it('when a run commits, then no month or week rows are serialised together: each row is its own string', async () => {
    // Arrange: a spy on every JSON.stringify call while a run commits to the file store.
    const h = await enriched(await fileStores('spy'));
    const stringify = JSON.stringify;
    const offenders: string[] = [];
    const isRow = (v: unknown) => typeof v === 'object' && v !== null && 'AggregationLevel' in v;
    const spy = jest.spyOn(JSON, 'stringify').mockImplementation((...args: Parameters<typeof JSON.stringify>) => {
      const [value] = args;
      if (Array.isArray(value) && value.filter(isRow).length > 1 && value.some((r) => isRow(r) && r.AggregationLevel !== 'year')) offenders.push(`an array of ${value.length} rows`);
      if (typeof value === 'object' && value !== null && 'office' in value) offenders.push('a whole result set');
      return stringify(...args);
    });

    // Act
    let run;
    try {
      h.time.set('2026-03-16T12:00:00Z');
      run = await runNow(h);
    } finally {
      spy.mockRestore();
    }

    // Assert
    expect(run).toMatchObject({ status: 'succeeded' });
    expect(offenders).toEqual([]);
    expect((await h.services.results.header())?.runId).toBe(run.id);
  });

  it('when the service restarts on the same folder, then it reads the committed set back, previous scores included', async () => {
    const before = await Promise.all(QUERIES.map(async (url) => (await request(files.app).get(url)).text));
    const restarted = await startHarness({ sharedSimulator: simulator, stores: { ...files.stores, results: await FileResultsStore.open(path.join(dir, 'parity')) } });
    harnesses.push(restarted);
    const after = await Promise.all(QUERIES.map(async (url) => (await request(restarted.app).get(url)).text));
    expect(after).toEqual(before);
    const stored = await (await restarted.stores.results.current())!.previousScores();
    expect(stored?.size).toBeGreaterThan(0);
  });
});
