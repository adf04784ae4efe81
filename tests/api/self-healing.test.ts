/**
 * Self-healing runs: with the API's run state (FileRunStateStore, onDamaged 'heal'), a damaged
 * settled.bin or mailbox checkpoint is moved aside, the run reads again what it stood for from
 * Graph, succeeds with the same results as a clean run, and says what it repaired in `warnings`.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { runEnrichment, type EnrichmentOutcome } from '../../api/src/enrichment/run-enrichment';
import { FileRunStateStore } from '../../api/src/enrichment/run-state';
import type { RunSummary } from '../../api/src/services/run-types';
import type { RunningSimulator } from '../../api/src/simulator';
import type { Enricher } from '../../api/src/services/run-service';
import { configure, consent, runNow, startHarness, startSharedSimulator, type Harness } from './support/harness';

const DAY = 86_400_000;
let simulator: RunningSimulator;
let dir: string;
const harnesses: Harness[] = [];
beforeAll(async () => {
  simulator = await startSharedSimulator();
  dir = await mkdtemp(path.join(os.tmpdir(), 'rapport-heal-'));
});
afterAll(async () => {
  for (const h of harnesses) await h.close();
  await simulator.close();
  await rm(dir, { recursive: true, force: true });
});

/** A service with healing run state in `runs`, one committed run, and the outcomes of later runs. */
async function serviceWithOneRun(runs: string): Promise<{ h: Harness; outcomes: EnrichmentOutcome[] }> {
  const outcomes: EnrichmentOutcome[] = [];
  const recording: Enricher = async (source, input, options) => {
    const outcome = await runEnrichment(source, input, options);
    outcomes.push(outcome);
    return outcome;
  };
  const h = await startHarness({ sharedSimulator: simulator, enrich: recording, runState: await FileRunStateStore.open(runs, { onDamaged: 'heal' }) });
  harnesses.push(h);
  await configure(h);
  await consent(h);
  expect(await runNow(h)).toMatchObject({ status: 'succeeded', warnings: [] });
  h.time.set(new Date(h.time.now().getTime() + 7 * DAY));
  return { h, outcomes };
}

/** The rows without the change column (which compares with whatever ran before). */
async function rowsOf(h: Harness): Promise<unknown[]> {
  return (await h.services.results.current())!.office.map((r) => ({ ...r, EngagementScoreChange: null }));
}

/** What a clean service computes for the same week. */
async function cleanRows(runs: string): Promise<unknown[]> {
  const { h } = await serviceWithOneRun(runs);
  await runNow(h);
  return rowsOf(h);
}

describe('a run over damaged run state', () => {
  it('when settled.bin is damaged, then it is moved aside, every mailbox is read in full, the run succeeds with a warning, and the results are right', async () => {
    // Arrange: one committed run, then settled.bin cut short.
    const runs = path.join(dir, 'settled');
    const { h, outcomes } = await serviceWithOneRun(runs);
    const settled = path.join(runs, 'settled.bin');
    const damaged = (await readFile(settled)).subarray(0, 40);
    await writeFile(settled, damaged);

    // Act
    const run = (await runNow(h)) as unknown as RunSummary;

    // Assert: succeeded, in full, with one warning naming the file and the copy.
    expect(run).toMatchObject({ status: 'succeeded', warnings: [expect.stringMatching(/settled\.bin was damaged .*moved to .*settled\.bin\.corrupt-.* every mailbox was read again in full/)] });
    expect(outcomes.at(-1)!.incremental).toMatchObject({ refreshed: 0, skipped: 0, collectedInFull: 2 });
    const copies = (await readdir(runs)).filter((n) => n.startsWith('settled.bin.corrupt-'));
    expect(copies).toHaveLength(1);
    expect(await readFile(path.join(runs, copies[0]!))).toEqual(damaged);
    // The history shows the warning; the next run is an ordinary refresh again.
    const listed = (await request(h.app).get('/api/runs')).body.runs as RunSummary[];
    expect(listed[0]).toMatchObject({ id: run.id, warnings: run.warnings });
    expect(await rowsOf(h)).toEqual(await cleanRows(path.join(dir, 'settled-clean')));
    h.time.set(new Date(h.time.now().getTime() + DAY));
    expect(await runNow(h)).toMatchObject({ status: 'succeeded', warnings: [] });
    expect(outcomes.at(-1)!.incremental).toMatchObject({ refreshed: 2, collectedInFull: 0 });
  });

  it('when a mailbox checkpoint is damaged, then it is moved aside, that mailbox is read in full, the run succeeds with a warning, and the results are right', async () => {
    // Arrange
    const runs = path.join(dir, 'mailbox');
    const { h, outcomes } = await serviceWithOneRun(runs);
    const [name] = await readdir(path.join(runs, 'mailboxes'));
    const checkpoint = path.join(runs, 'mailboxes', name!);
    await writeFile(checkpoint, '{"format":"rapport.mailbox-state/2","id":');

    // Act
    const run = (await runNow(h)) as unknown as RunSummary;

    // Assert
    expect(run).toMatchObject({ status: 'succeeded', warnings: [expect.stringMatching(new RegExp(`${name!.replace('.', '\\.')} was damaged .* was read again in full`))] });
    expect(outcomes.at(-1)!.incremental).toMatchObject({ refreshed: 1, collectedInFull: 1 });
    expect((await readdir(path.join(runs, 'mailboxes'))).filter((n) => n.includes('.corrupt-'))).toHaveLength(1);
    expect(await rowsOf(h)).toEqual(await cleanRows(path.join(dir, 'mailbox-clean')));
  });
});
