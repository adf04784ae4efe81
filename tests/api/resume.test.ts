/**
 * A run interrupted by a stopped service resumes at the next start, from its per-mailbox
 * checkpoints: a mailbox finished before the stop is not read again, and the results equal an
 * uninterrupted run's. The run state is the production FileRunStateStore in a temporary folder.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { ActivitySource } from '../../api/src/enrichment/ports';
import { runEnrichment, type EnrichmentOutcome } from '../../api/src/enrichment/run-enrichment';
import { FileRunStateStore, type RunStateStore } from '../../api/src/enrichment/run-state';
import type { RunningSimulator } from '../../api/src/simulator';
import type { Enricher } from '../../api/src/services/run-service';
import { configure, consent, runNow, startHarness, startSharedSimulator, type Harness } from './support/harness';

/** The source of a process that dies while collecting: every mailbox but the first one never gets its mail. */
function stallingAfterFirstMailbox(source: ActivitySource): ActivitySource {
  let first: string | null = null;
  return {
    organization: () => source.organization(),
    resolveMailboxes: (entries) => source.resolveMailboxes(entries),
    folderScan: (mailbox) => source.folderScan(mailbox),
    async *messagePages(mailbox, from, to) {
      first ??= mailbox.id;
      if (mailbox.id !== first) await new Promise<never>(() => undefined);
      yield* source.messagePages(mailbox, from, to);
    },
    eventPages: (mailbox, start, end) => source.eventPages(mailbox, start, end),
    probeMailboxAccess: (mailbox) => source.probeMailboxAccess(mailbox),
    stats: () => source.stats(),
  };
}

async function until(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500 && !(await condition()); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!(await condition())) throw new Error('timed out waiting');
}

describe('a run interrupted by a stopped service', () => {
  let simulator: RunningSimulator;
  let dir: string;
  const harnesses: Harness[] = [];
  beforeAll(async () => {
    simulator = await startSharedSimulator();
    dir = await mkdtemp(path.join(os.tmpdir(), 'rapport-resume-'));
  });
  afterAll(async () => {
    for (const h of harnesses) h.services.scheduler.stop();
    await simulator.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('when the service starts again, then the run resumes from its checkpoints and ends with the uninterrupted results', async () => {
    // Arrange: a service whose run stops for good after its first mailbox's checkpoint.
    const runsDir = path.join(dir, 'interrupted');
    const stopped = await startHarness({
      sharedSimulator: simulator,
      runState: await FileRunStateStore.open(runsDir),
      enrich: (source, input, options) => runEnrichment(stallingAfterFirstMailbox(source), input, options),
    });
    harnesses.push(stopped);
    await configure(stopped);
    await consent(stopped);
    const started = await request(stopped.app).post('/api/runs').send({});
    expect(started.status).toBe(202);
    const checkpoints = await FileRunStateStore.open(runsDir);
    await until(async () => (await checkpoints.storedMailboxIds()).length === 1);
    stopped.services.scheduler.stop();

    // Act: a new service on the same documents and run state, as after a restart.
    const outcomes: EnrichmentOutcome[] = [];
    const recording: Enricher = async (source, input, options) => {
      const outcome = await runEnrichment(source, input, options);
      outcomes.push(outcome);
      return outcome;
    };
    const restarted = await startHarness({ sharedSimulator: simulator, stores: stopped.stores, runState: await FileRunStateStore.open(runsDir), enrich: recording });
    harnesses.push(restarted);
    expect(await restarted.services.runs.recoverInterrupted()).toBe(0);
    await restarted.services.runs.whenIdle();

    // Assert: the same run finished; the checkpointed mailbox was not read again.
    const run = (await request(restarted.app).get(`/api/runs/${started.body.id}`)).body;
    expect(run).toMatchObject({ id: started.body.id, status: 'succeeded' });
    expect(outcomes).toHaveLength(1);
    expect(outcomes[0]!.incremental).toMatchObject({ resumed: true, skipped: 1, collectedInFull: outcomes[0]!.totals.mailboxes - 1 });
    expect((await (await FileRunStateStore.open(runsDir)).root()).active).toBeNull();

    const uninterrupted = await startHarness({ sharedSimulator: simulator, runState: await FileRunStateStore.open(path.join(dir, 'uninterrupted')) });
    harnesses.push(uninterrupted);
    await configure(uninterrupted);
    await consent(uninterrupted);
    await runNow(uninterrupted);
    const resultsOf = async (h: Harness) => {
      const current = (await h.services.results.current())!;
      return { office: current.office, totals: current.totals, explanations: current.explanations };
    };
    expect(await resultsOf(restarted)).toEqual(await resultsOf(uninterrupted));
  });

  it('when the service stopped after committing the results but before closing the run, then the resumed run compares scores with the run before, as it did', async () => {
    const DAY = 86_400_000;
    /** Two runs 40 days apart, the second stopped (for good) while closing its journal. */
    const twoRuns = async (runsDir: string, stopWhileClosing: boolean): Promise<Harness> => {
      const state = await FileRunStateStore.open(runsDir);
      let second = false;
      const closing: RunStateStore = Object.assign(Object.create(state) as RunStateStore, {
        saveSettled: (settled: Parameters<RunStateStore['saveSettled']>[0]) => (second && stopWhileClosing ? new Promise<void>(() => undefined) : state.saveSettled(settled)),
      });
      const h = await startHarness({ sharedSimulator: simulator, runState: closing });
      harnesses.push(h);
      await configure(h);
      await consent(h);
      await runNow(h);
      h.time.set(new Date(h.time.now().getTime() + 40 * DAY));
      second = true;
      const started = await request(h.app).post('/api/runs').send({});
      if (!stopWhileClosing) await h.services.runs.whenIdle();
      else await until(async () => (await h.services.results.header())?.runId === started.body.id);
      return h;
    };
    const stopped = await twoRuns(path.join(dir, 'closing'), true);
    stopped.services.scheduler.stop();
    const restarted = await startHarness({ sharedSimulator: simulator, stores: stopped.stores, runState: await FileRunStateStore.open(path.join(dir, 'closing')), now: stopped.time.now().toISOString() });
    harnesses.push(restarted);
    await restarted.services.runs.recoverInterrupted();
    await restarted.services.runs.whenIdle();

    const uninterrupted = await twoRuns(path.join(dir, 'closing-uninterrupted'), false);
    const changes = async (h: Harness) => (await h.services.results.current())!.office.map((r) => [r.AccountId, r.AggregationLevel, r.EngagementScoreChange]);
    expect(await changes(restarted)).toEqual(await changes(uninterrupted));
    expect((await changes(restarted)).some(([, level, change]) => level === 'year' && change !== 0 && change !== null)).toBe(true);
  });
});

