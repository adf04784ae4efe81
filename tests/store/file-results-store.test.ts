/**
 * FileResultsStore: result sets in per-run folders, read page by page, committed by switching a
 * small pointer; damaged files moved aside; results.json of earlier versions migrated once.
 */
import { spawn } from 'node:child_process';
import { readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { FileResultsStore } from '../../api/src/store/file-results-store';
import { WRITE_CHUNK_BYTES } from '../../api/src/store/ndjson';
import { loadResultSet, MemoryResultsStore, rowScoreKey, scanOrder, type ResultSet, type StoredResultSet } from '../../api/src/store/results-store';
import { MemoryDocument } from '../../api/src/store/document-store';
import { ResultsService, type OfficeQuery } from '../../api/src/services/results-service';
import { emptyAppState } from '../../api/src/services/state';
import type { AggregationLevel, OfficeRow } from '../../api/src/engagement/types';
import { syntheticResultSet } from '../support/synthetic-results';
import { tempDirs } from '../support/temp-dirs';

const tempDir = tempDirs('rapport-results-');

const silent = { warn: jest.fn(), info: jest.fn() };
const at = (iso: string) => () => new Date(iso);

async function rowsOf(set: StoredResultSet, level: AggregationLevel, inBucket?: (b: string) => boolean): Promise<OfficeRow[]> {
  const rows: OfficeRow[] = [];
  for await (const batch of set.scan(level, inBucket)) rows.push(...batch);
  return rows;
}
const sorted = (rows: OfficeRow[]) => [...rows].sort((a, b) => (a.AggregationLevel < b.AggregationLevel ? -1 : a.AggregationLevel > b.AggregationLevel ? 1 : scanOrder(a, b)));
const folders = async (dir: string) => (await readdir(dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);

describe('FileResultsStore', () => {
  const set = syntheticResultSet({ accounts: 120, runId: 'run_a', seed: 3 });

  it('when a set is committed and the store reopened, then every row, card, user row and previous score reads back', async () => {
    // Arrange
    const dir = await tempDir();
    const previous = new Map([['ACC-000001|year|2025-11-01T00:00:00.000Z', 12.5]]);

    // Act
    await (await FileResultsStore.open(dir)).commit(set, previous);
    const reopened = (await (await FileResultsStore.open(dir)).current())!;

    // Assert
    expect(reopened.header).toEqual({ runId: 'run_a', configVersion: 1, finishedAt: set.finishedAt, totals: set.totals });
    const loaded = await loadResultSet(reopened);
    expect(sorted(loaded.office)).toEqual(sorted(set.office));
    expect(loaded.explanations).toEqual(set.explanations);
    expect(loaded.officeUserTable).toEqual(set.officeUserTable);
    expect(await reopened.previousScores()).toEqual(previous);
    const id = 'ACC-000042';
    const of = (level: AggregationLevel) => set.office.filter((r) => r.AccountId === id && r.AggregationLevel === level).sort(scanOrder);
    expect(await reopened.account(id)).toEqual({ months: of('month'), weeks: of('week'), explanation: set.explanations[id] });
    expect(reopened.yearRow(id)).toEqual(of('year')[0]);
    expect(await reopened.account('nobody')).toBeNull();
  });

  it.each([
    ['one month', 'month' as const, (buckets: readonly string[]) => new Set([buckets[4]!])],
    ['three weeks', 'week' as const, (buckets: readonly string[]) => new Set([buckets[0]!, buckets[7]!, buckets[30]!])],
    ['every week', 'week' as const, (buckets: readonly string[]) => new Set(buckets)],
  ])('when %s is scanned, then exactly its rows come back, bucket by bucket and by account', async (_label, level, pick) => {
    const dir = await tempDir();
    const store = await FileResultsStore.open(dir);
    await store.commit(set, null);
    const current = (await store.current())!;
    const wanted = pick(current.buckets(level));

    const rows = await rowsOf(current, level, (b) => wanted.has(b));

    expect(rows).toEqual(set.office.filter((r) => r.AggregationLevel === level && wanted.has(r.AggregationStartdate)).sort(scanOrder));
  });

  it('when a commit fails between writing the folder and switching the pointer, then the old set stays, whole, and the new folder is gone', async () => {
    // Arrange: a committed set, then a commit that "crashes" at the worst moment.
    const dir = await tempDir();
    await (await FileResultsStore.open(dir)).commit(set, null);
    const crashing = await FileResultsStore.open(dir, {
      beforeSwitch: () => {
        throw new Error('power cut');
      },
    });
    const next = syntheticResultSet({ accounts: 80, runId: 'run_b', seed: 4 });

    // Act
    await expect(crashing.commit(next, null)).rejects.toThrow('power cut');

    // Assert: the open store and a restarted one both still read the old set.
    expect((await crashing.current())!.header.runId).toBe('run_a');
    const restarted = (await (await FileResultsStore.open(dir)).current())!;
    expect(restarted.header.runId).toBe('run_a');
    expect(sorted((await loadResultSet(restarted)).office)).toEqual(sorted(set.office));
    expect(await folders(dir)).toHaveLength(1);
  });

  it('when the process dies after writing a folder but before the pointer, then the next open reads the old set and deletes the orphan', async () => {
    const dir = await tempDir();
    await (await FileResultsStore.open(dir)).commit(set, null);
    const pointer = await readFile(path.join(dir, 'current.json'), 'utf8');
    // A complete second commit, then the pointer put back: what a crash right before the switch leaves.
    await (await FileResultsStore.open(dir)).commit(syntheticResultSet({ accounts: 10, runId: 'run_b' }), null);
    await writeFile(path.join(dir, 'current.json'), pointer);

    const reopened = await FileResultsStore.open(dir);

    expect((await reopened.current())!.header.runId).toBe('run_a');
    expect(await folders(dir)).toEqual([JSON.parse(pointer).folder]);
  });

  it('when three sets are committed, then only the current folder and the one before it are kept', async () => {
    const dir = await tempDir();
    const store = await FileResultsStore.open(dir);
    for (const runId of ['run_1', 'run_2', 'run_3']) await store.commit(syntheticResultSet({ accounts: 5, runId }), null);
    const names = await folders(dir);
    expect(names).toHaveLength(2);
    expect(names.some((n) => n.includes('-run_3-'))).toBe(true);
    expect(names.some((n) => n.includes('-run_2-'))).toBe(true);
  });

  it('when a large set is committed, then it is written in bounded chunks: no month or week rows are serialised together', async () => {
    // Arrange: ~50k rows; a spy records every string JSON.stringify returns while committing.
    const dir = await tempDir();
    const store = await FileResultsStore.open(dir);
    const big = syntheticResultSet({ accounts: 1500, runId: 'run_big', density: { months: 1, weeks: 0.5 } });
    const stringify = JSON.stringify;
    let longest = 0;
    let total = 0;
    const spy = jest.spyOn(JSON, 'stringify').mockImplementation((...args: Parameters<typeof JSON.stringify>) => {
      const text = stringify(...args);
      longest = Math.max(longest, text?.length ?? 0);
      total += text?.length ?? 0;
      return text;
    });

    // Act
    try {
      await store.commit(big, null);
    } finally {
      spy.mockRestore();
    }

    // Assert: tens of MB written, no single serialisation above one account's card.
    expect(total).toBeGreaterThan(30 * 1024 * 1024);
    expect(longest).toBeLessThan(WRITE_CHUNK_BYTES);
  });
});

describe('FileResultsStore killed while committing', () => {
  it('when the process is killed at random moments of its commits, then a new open always reads one whole committed set', async () => {
    const dir = await tempDir();
    let next = 0;
    for (let attempt = 0; attempt < 4; attempt += 1) {
      // Arrange: a child committing sets of 400 accounts back to back.
      // Node itself with tsx as a loader: the `tsx` command would run a second process that outlives the kill.
      const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'support/commit-forever.ts'), dir, String(next)], { stdio: ['ignore', 'pipe', 'inherit'] });
      const committed: string[] = [];
      child.stdout.setEncoding('utf8').on('data', (text: string) => committed.push(...text.split('\n').filter(Boolean).map((l) => l.replace('committed ', ''))));
      const exited = new Promise((resolve) => child.once('exit', resolve));
      // Act: killed with SIGKILL a random moment after its first commit, mid-write most likely.
      while (committed.length === 0) await new Promise((resolve) => setTimeout(resolve, 20));
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 400));
      child.kill('SIGKILL');
      await exited;

      // Assert: the set read back is whole, and it is the last one reported or the one after it
      // (committed, killed before it could say so).
      const current = (await (await FileResultsStore.open(dir)).current())!;
      const n = Number(current.header.runId.slice(4));
      expect([committed.at(-1), `run_${Number(committed.at(-1)!.slice(4)) + 1}`]).toContain(current.header.runId);
      const expected = syntheticResultSet({ accounts: 400, runId: current.header.runId, seed: n + 1 });
      expect(sorted((await loadResultSet(current)).office)).toEqual(sorted(expected.office));
      expect(await folders(dir)).toHaveLength(1);
      next = n + 1;
    }
  }, 120_000);
});

describe('FileResultsStore with damaged files', () => {
  const set = syntheticResultSet({ accounts: 30, runId: 'run_a' });
  const pointerOf = async (dir: string) => JSON.parse(await readFile(path.join(dir, 'current.json'), 'utf8')) as { folder: string };

  it.each<[string, (dir: string, folder: string) => Promise<void>, RegExp]>([
    ['the pointer is not JSON', (dir) => writeFile(path.join(dir, 'current.json'), '{"format": "rap'), /results pointer is damaged/],
    ['the pointer has the wrong shape', (dir) => writeFile(path.join(dir, 'current.json'), JSON.stringify({ format: 'rapport.results-pointer/1', folder: '../../etc' })), /results pointer is damaged/],
    ['the manifest is missing', (dir, folder) => rm(path.join(dir, folder, 'manifest.json')), /stored results are damaged/],
    ['the manifest has the wrong shape', (dir, folder) => writeFile(path.join(dir, folder, 'manifest.json'), JSON.stringify({ format: 'rapport.result-set/1', runId: 7 })), /stored results are damaged/],
    ['a row file is truncated', (dir, folder) => truncate(path.join(dir, folder, 'week.ndjson'), 100), /stored results are damaged/],
    ['a year row has the wrong shape', (dir, folder) => damageKeepingSize(path.join(dir, folder, 'year.ndjson'), '"EngagementScore":', '"EngagementScorf":'), /stored results are damaged/],
  ])('when %s, then the damaged file is moved aside, the store starts without results and says so', async (_label, damage, warning) => {
    // Arrange
    const dir = await tempDir();
    await (await FileResultsStore.open(dir)).commit(set, null);
    const { folder } = await pointerOf(dir);
    await damage(dir, folder);
    const logger = { warn: jest.fn(), info: jest.fn() };

    // Act
    const store = await FileResultsStore.open(dir, { logger, now: at('2026-03-01T10:00:00Z') });

    // Assert
    expect(await store.current()).toBeNull();
    expect(logger.warn).toHaveBeenCalledWith(expect.stringMatching(warning), expect.objectContaining({ movedTo: expect.stringContaining('.corrupt-20260301T100000000Z') }));
    expect((await readdir(dir)).some((n) => n.includes('.corrupt-20260301T100000000Z'))).toBe(true);
    // The next commit works and leaves the moved copy alone.
    await store.commit(set, null);
    expect((await (await FileResultsStore.open(dir)).current())!.header.runId).toBe('run_a');
    expect((await readdir(dir)).some((n) => n.includes('.corrupt-'))).toBe(true);
  });

  it('when the pointer is damaged, then no folder is deleted at start: nothing says which one was current', async () => {
    const dir = await tempDir();
    await (await FileResultsStore.open(dir)).commit(set, null);
    const before = await folders(dir);
    await writeFile(path.join(dir, 'current.json'), 'garbage');
    await FileResultsStore.open(dir, { logger: silent });
    expect(await folders(dir)).toEqual(before);
  });

  it('when a month row is damaged without changing its size, then reading it fails with STORE_CORRUPT naming the file', async () => {
    const dir = await tempDir();
    await (await FileResultsStore.open(dir)).commit(set, null);
    const file = path.join(dir, (await pointerOf(dir)).folder, 'month.ndjson');
    await damageKeepingSize(file, '"AggregationLevel":"month"', '"AggregationLevel":"mont_"');
    const current = (await (await FileResultsStore.open(dir, { logger: silent })).current())!;

    await expect(rowsOf(current, 'month')).rejects.toMatchObject({ code: 'STORE_CORRUPT', details: { file } });
  });
});

describe('FileResultsStore migration of results.json', () => {
  it('when results.json of the earlier format exists, then it is migrated once and kept as .migrated', async () => {
    // Arrange: the legacy document, with its previous scores.
    const dataDir = await tempDir();
    const set: ResultSet = syntheticResultSet({ accounts: 25, runId: 'run_legacy' });
    const previousScores: [string, number][] = set.office.slice(0, 5).map((r) => [rowScoreKey(r), r.EngagementScore - 1]);
    const legacyFile = path.join(dataDir, 'results.json');
    await writeFile(legacyFile, JSON.stringify({ format: 'rapport.results/1', current: set, previousScores }, null, 2));
    const logger = { warn: jest.fn(), info: jest.fn() };

    // Act
    const store = await FileResultsStore.open(path.join(dataDir, 'results'), { legacyFile, logger, now: at('2026-03-01T10:00:00Z') });

    // Assert
    const current = (await store.current())!;
    expect(sorted((await loadResultSet(current)).office)).toEqual(sorted(set.office));
    expect(await current.previousScores()).toEqual(new Map(previousScores));
    expect(await readdir(dataDir)).toEqual(expect.arrayContaining(['results', 'results.json.migrated-20260301T100000000Z']));
    expect(await readdir(dataDir)).not.toContain('results.json');
    expect(logger.info).toHaveBeenCalledWith(expect.stringMatching(/migrated/), expect.anything());
    // A second open does not migrate again.
    await writeFile(legacyFile, JSON.stringify({ format: 'rapport.results/1', current: syntheticResultSet({ accounts: 2, runId: 'run_stale' }) }));
    expect((await (await FileResultsStore.open(path.join(dataDir, 'results'), { legacyFile })).current())!.header.runId).toBe('run_legacy');
  });

  it.each([
    ['not JSON', '{"format": "rapport.results/1", "current": ['],
    ['of the wrong shape', JSON.stringify({ format: 'rapport.results/1', current: { runId: 'x', office: 'nope' } })],
  ])('when results.json is %s, then it is moved aside and the store starts without results', async (_label, text) => {
    const dataDir = await tempDir();
    const legacyFile = path.join(dataDir, 'results.json');
    await writeFile(legacyFile, text);
    const logger = { warn: jest.fn(), info: jest.fn() };

    const store = await FileResultsStore.open(path.join(dataDir, 'results'), { legacyFile, logger, now: at('2026-03-01T10:00:00Z') });

    expect(await store.current()).toBeNull();
    expect(await readFile(`${legacyFile}.corrupt-20260301T100000000Z`, 'utf8')).toBe(text);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringMatching(/damaged/), expect.objectContaining({ file: legacyFile }));
  });
});

/** Replaces the first `from` with `to` (same length), so only a content check can notice. */
async function damageKeepingSize(file: string, from: string, to: string): Promise<void> {
  expect(to.length).toBe(from.length);
  const text = await readFile(file, 'utf8');
  expect(text).toContain(from);
  await writeFile(file, text.replace(from, to));
}

describe('ResultsService over FileResultsStore', () => {
  it.each<[string, OfficeQuery]>([
    ['weeks by score, a late page', { level: 'week', page: 60, pageSize: 50 }],
    ['weeks by name, descending', { level: 'week', sort: 'AccountName', order: 'desc', page: 9, pageSize: 200 }],
    ['months of one band', { level: 'month', band: 'Low', page: 2, pageSize: 100 }],
  ])('when %s is asked of many batches of rows, then the page equals the in-memory store’s', async (_label, query) => {
    // Arrange: ~20k week rows, read back in many batches, trimmed to the page as they come.
    const set = syntheticResultSet({ accounts: 800, density: { months: 0.5, weeks: 0.5 } });
    const memory = new MemoryResultsStore();
    await memory.commit(set, null);
    const files = await FileResultsStore.open(await tempDir());
    await files.commit(set, null);
    const state = new MemoryDocument(emptyAppState());

    // Act
    const [expected, actual] = await Promise.all([new ResultsService({ state, results: memory }).office(query), new ResultsService({ state, results: files }).office(query)]);

    // Assert
    expect(actual.rows.length).toBeGreaterThan(0);
    expect(actual).toEqual(expected);
  });
});
