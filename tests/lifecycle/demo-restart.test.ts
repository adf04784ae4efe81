/**
 * Demo mode keeps no run state, so a start stopped before its first run finished must not leave
 * the dashboard empty at the next start: with runs behind it and no results, it enriches again.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../api/src/config';
import { silentLogger } from '../../api/src/services/logger';
import { startRapport, type RunningApp } from '../../server/src/main';

jest.setTimeout(120_000);

let dataDir: string;
let app: RunningApp | undefined;

const start = async (): Promise<RunningApp> => (app = await startRapport(loadConfig({ PORT: '0', DATA_DIR: dataDir, LOG_LEVEL: 'silent' }), silentLogger));

async function runsWhenIdle(running: RunningApp): Promise<{ id: string; trigger: string; status: string }[]> {
  for (let i = 0; i < 240; i++) {
    const { runs } = (await (await fetch(`${running.url}/api/runs`)).json()) as { runs: { id: string; trigger: string; status: string }[] };
    if (runs.length > 0 && runs.every((r) => r.status !== 'running')) return runs;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the demo run did not finish within 60 s');
}

beforeEach(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'rapport-demo-restart-'));
});

afterEach(async () => {
  await app?.close();
  app = undefined;
  await rm(dataDir, { recursive: true, force: true });
});

describe('demo mode across restarts', () => {
  it('when an earlier start left runs but no results, then the next start enriches again and the dashboard fills in', async () => {
    const first = await start();
    expect((await runsWhenIdle(first)).map((r) => r.trigger)).toEqual(['schedule']);
    await first.close();
    app = undefined;
    // What a start stopped mid-run leaves: the run is behind it, no result set was committed.
    await rm(path.join(dataDir, 'results'), { recursive: true, force: true });

    const second = await start();
    const runs = await runsWhenIdle(second);
    expect(runs.map((r) => [r.trigger, r.status])).toEqual([
      ['demo', 'succeeded'],
      ['schedule', 'succeeded'],
    ]);
    const overview = (await (await fetch(`${second.url}/api/results/overview`)).json()) as { accountsEnriched: number };
    expect(overview.accountsEnriched).toBeGreaterThan(0);
  });

  it('when the earlier start left results, then the next start does not run again', async () => {
    const first = await start();
    await runsWhenIdle(first);
    await first.close();
    app = undefined;
    const second = await start();
    expect((await runsWhenIdle(second)).map((r) => r.trigger)).toEqual(['schedule']);
  });
});
