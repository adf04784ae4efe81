/**
 * openStores: every store under DATA_DIR, each with its rule for a damaged file. state.json
 * stops the start (moved aside, one line naming both files); results and run state heal.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { silentLogger } from '../../api/src/services/logger';
import { emptyAppState } from '../../api/src/services/state';
import { openStores } from '../../api/src/store/open-stores';
import { syntheticResultSet } from '../support/synthetic-results';
import { tempDirs } from '../support/temp-dirs';

const dataDir = tempDirs('rapport-open-');
const now = () => new Date('2026-03-01T10:00:00Z');

describe('openStores', () => {
  it('when the data dir is new, then every store opens empty and the run state is there unless left out', async () => {
    const dir = await dataDir();
    const opened = await openStores(dir, silentLogger, { now });
    expect(await opened.stores.state.read()).toEqual(emptyAppState());
    expect(await opened.stores.results.current()).toBeNull();
    expect(await opened.stores.datasets.list()).toEqual([]);
    expect(opened.runState).toBeDefined();
    expect((await openStores(await dataDir(), silentLogger, { runState: false })).runState).toBeUndefined();
  });

  it.each([
    ['valid JSON of the wrong shape', JSON.stringify({ ...emptyAppState(), runs: { not: 'a list' } }), /\(runs: /],
    ['not JSON', '{"format": "rapport.state/1", "runs": [', /not valid JSON/],
  ])('when state.json is %s, then the start fails with one line naming the file and its moved copy, and the next start begins empty', async (_label, text, reason) => {
    // Arrange
    const dir = await dataDir();
    const file = path.join(dir, 'state.json');
    await writeFile(file, text);

    // Act
    const error = await openStores(dir, silentLogger, { now }).then(
      () => null,
      (e: Error & { code?: string }) => e,
    );

    // Assert
    const moved = `${file}.corrupt-20260301T100000000Z`;
    expect(error).toMatchObject({ code: 'STORE_CORRUPT', details: { file, movedTo: moved } });
    expect(error!.message).toMatch(reason);
    expect(error!.message).toContain(file);
    expect(error!.message).toContain(moved);
    expect(error!.message).not.toContain('\n');
    expect(await readFile(moved, 'utf8')).toBe(text);
    expect(await readdir(dir)).not.toContain('state.json');
    expect(await (await openStores(dir, silentLogger, { now })).stores.state.read()).toEqual(emptyAppState());
  });

  it('when results.json of an earlier version is there, then the results open migrated', async () => {
    const dir = await dataDir();
    const set = syntheticResultSet({ accounts: 4, runId: 'run_old' });
    await writeFile(path.join(dir, 'results.json'), JSON.stringify({ format: 'rapport.results/1', current: set }));
    const { stores } = await openStores(dir, silentLogger, { now });
    expect((await stores.results.current())?.header.runId).toBe('run_old');
    expect(await readdir(dir)).toContain('results.json.migrated-20260301T100000000Z');
  });
});
