/** Runs: Run now, cancel, one at a time, progress over SSE, history, partial, failed and cancelled runs, the scheduler. */
import request from 'supertest';
import { AppError } from '../../api/src/errors';
import type { ActivitySource } from '../../api/src/enrichment/ports';
import { runEnrichment } from '../../api/src/enrichment/run-enrichment';
import { MemoryRunStateStore } from '../../api/src/enrichment/run-state';
import type { Enricher } from '../../api/src/services/run-service';
import type { RunSummary } from '../../api/src/services/run-types';
import { demoConfig } from './support/config';
import { flush } from './support/fake-time';
import { configure, consent, gatedEnrich, runNow, startHarness, type Harness } from './support/harness';
import { listen, readSse } from './support/sse';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

async function until(condition: () => Promise<boolean> | boolean, what: string): Promise<void> {
  for (let i = 0; i < 1000 && !(await condition()); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  if (!(await condition())) throw new Error(`timed out waiting for ${what}`);
}

/**
 * A source whose mail read of every mailbox but the first never answers, as a request stuck
 * behind a long Retry-After would: only an abort gets the run out of it.
 */
function stuckAfterFirstMailbox(source: ActivitySource): ActivitySource {
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

/** Runs enrich normally until `stuck.on` is set; then every run's mail read sticks after its first mailbox. */
function stickable(): { enrich: Enricher; stuck: { on: boolean } } {
  const stuck = { on: false };
  return { stuck, enrich: (source, input, options) => runEnrichment(stuck.on ? stuckAfterFirstMailbox(source) : source, input, options) };
}

/** The Office rows without the score change, which depends on the run before. */
async function rowsOf(h: Harness): Promise<unknown[]> {
  const current = (await h.services.results.current())!;
  return current.office.map(({ EngagementScoreChange: _change, ...row }) => row);
}

describe('runs', () => {
  let h: Harness;
  afterEach(() => h.close());

  describe('POST /api/runs', () => {
    beforeEach(async () => {
      h = await startHarness();
    });

    it('when nothing is configured, then 412 NOT_CONFIGURED and no run is recorded', async () => {
      const res = await request(h.app).post('/api/runs').send({});
      expect(res.status).toBe(412);
      expect(res.body.error.code).toBe('NOT_CONFIGURED');
      expect((await h.stores.state.read()).runs).toEqual([]);
    });

    it('when an admin runs now, then 202 returns the running summary, and the run commits its results in one write', async () => {
      await configure(h);
      await consent(h);
      const commits = jest.spyOn(h.stores.results, 'commit');
      const started = await request(h.app).post('/api/runs').send({});
      expect(started.status).toBe(202);
      expect(started.headers.location).toBe(`/api/runs/${started.body.id}`);
      expect(started.body).toMatchObject({ trigger: 'manual', status: 'running', configVersion: 1, startedBy: 'Demo Admin', progress: { phase: 'queued' } });
      await h.services.runs.whenIdle();

      const run = (await request(h.app).get(`/api/runs/${started.body.id}`)).body as RunSummary;
      expect(run).toMatchObject({
        status: 'succeeded',
        finishedAt: expect.any(String),
        configVersion: 1,
        accountsEnriched: 6,
        emailsProcessed: 7,
        meetingsProcessed: 2,
        failures: [],
        progress: { phase: 'done', percent: 100, mailboxesDone: 2, mailboxesTotal: 2 },
      });
      expect(commits).toHaveBeenCalledTimes(1);
      const results = (await h.services.results.current())!;
      expect(results).toMatchObject({ runId: run.id, configVersion: 1, finishedAt: run.finishedAt, totals: { accountsEnriched: 6, totalAccounts: 7 } });
      expect(results.officeUserTable).toEqual([{ ObjectId: 'u-alice' }, { ObjectId: 'u-bob' }]);
    });

    it('when a second run is asked for while one is running, then 409 RUN_IN_PROGRESS names the running run', async () => {
      await h.close();
      const gate = gatedEnrich(runEnrichment);
      h = await startHarness({ enrich: gate.enrich });
      await configure(h);
      await consent(h);
      const first = await request(h.app).post('/api/runs').send({});
      await gate.entered;
      const second = await request(h.app).post('/api/runs').send({});
      expect(second.status).toBe(409);
      expect(second.body.error).toMatchObject({ code: 'RUN_IN_PROGRESS', details: { runId: first.body.id } });
      gate.open();
      await h.services.runs.whenIdle();
      expect((await request(h.app).get('/api/runs')).body.runs).toHaveLength(1);
    });

    it('when two Run now requests arrive at the same moment, then exactly one starts', async () => {
      await configure(h);
      await consent(h);
      const answers = await Promise.all([request(h.app).post('/api/runs').send({}), request(h.app).post('/api/runs').send({})]);
      expect(answers.map((a) => a.status).sort()).toEqual([202, 409]);
      await h.services.runs.whenIdle();
    });

    it('when a mailbox cannot be read, then the run is partial and names the mailbox and the error code', async () => {
      await configure(h, { orgEntries: ['sales@contoso.com', 'carol@contoso.com'] });
      await consent(h);
      const run = await runNow(h);
      expect(run).toMatchObject({ status: 'partial', failures: [{ mailbox: 'carol@contoso.com', code: 'MailboxNotEnabledForRESTAPI' }] });
    });

    it('when a mailbox lies outside the application access policy, then the run is partial and names it with ErrorAccessDenied and what to do', async () => {
      await h.close();
      h = await startHarness({ simulator: { faults: { mailboxAccessDenied: ['bob@contoso.com'] } } });
      await configure(h);
      await consent(h);
      const run = (await runNow(h)) as unknown as RunSummary;
      expect(run).toMatchObject({ status: 'partial', failures: [{ mailbox: 'bob@contoso.com', code: 'ErrorAccessDenied' }] });
      expect(run.failures[0]!.message).toMatch(/application access policy/);
      expect(run.progress.errors).toEqual(run.failures);
    });

    it('when a mailbox fails on an unexpected error, then the summary keeps generic words, never the error text', async () => {
      await h.close();
      h = await startHarness({
        enrich: async (source, input, options) => {
          const outcome = await runEnrichment(source, input, options);
          outcome.totals.failures = [{ mailbox: 'bob@contoso.com', code: 'INTERNAL', message: 'Unexpected token in "Quarterly pricing for Fabrikam"' }];
          return outcome;
        },
      });
      await configure(h);
      await consent(h);
      const run = (await runNow(h)) as unknown as RunSummary;
      expect(run).toMatchObject({ status: 'partial', failures: [{ mailbox: 'bob@contoso.com', code: 'INTERNAL' }] });
      expect(JSON.stringify(await h.stores.state.read())).not.toContain('Quarterly pricing');
    });

    it('when a run fails, then it is recorded as failed and the previous result set stays', async () => {
      await h.close();
      let fail = false;
      h = await startHarness({
        enrich: (source, input, options) => (fail ? Promise.reject(new AppError('GRAPH_REQUEST_FAILED', 'Every mailbox failed.')) : runEnrichment(source, input, options)),
      });
      await configure(h);
      await consent(h);
      const good = await runNow(h);
      const before = await h.services.results.current();
      fail = true;
      const bad = await runNow(h);
      expect(bad).toMatchObject({ status: 'failed', error: { code: 'GRAPH_REQUEST_FAILED', message: 'Every mailbox failed.' }, progress: { phase: 'failed' } });
      expect(await h.services.results.current()).toEqual(before);
      expect((await request(h.app).get('/api/results/overview')).body.lastRun.id).toBe(good.id);
      const history = (await request(h.app).get('/api/runs')).body.runs as RunSummary[];
      expect(history.map((r) => [r.id, r.status])).toEqual([
        [bad.id, 'failed'],
        [good.id, 'succeeded'],
      ]);
    });

    it('when a second run sees the same data, then it passes the previous scores and every change is 0', async () => {
      await configure(h);
      await consent(h);
      await runNow(h);
      h.time.set(new Date(h.time.now().getTime() + HOUR));
      await runNow(h);
      const rows = (await request(h.app).get('/api/results/office?level=year')).body.rows as { EngagementScoreChange: number | null }[];
      expect(rows.map((r) => r.EngagementScoreChange)).toEqual(rows.map(() => 0));
    });

    it('when a run finishes, then onRunFinished listeners receive its summary', async () => {
      const seen: RunSummary[] = [];
      h.services.runs.onRunFinished((s) => {
        seen.push(s);
      });
      await configure(h);
      await consent(h);
      const run = await runNow(h);
      expect(seen.map((s) => [s.id, s.status, s.trigger])).toEqual([[run.id, 'succeeded', 'manual']]);
    });

    it('when the service restarts during a run, then the orphaned run is marked failed', async () => {
      await h.stores.state.update((s) => {
        s.runs.push({ ...({} as RunSummary), id: 'run_orphan', status: 'running', progress: { phase: 'collecting' } as RunSummary['progress'] });
      });
      expect(await h.services.runs.recoverInterrupted()).toBe(1);
      expect((await request(h.app).get('/api/runs/run_orphan')).body).toMatchObject({ status: 'failed', error: { message: expect.stringContaining('stopped') } });
    });

    it('when a run id is unknown, then 404 NOT_FOUND', async () => {
      const res = await request(h.app).get('/api/runs/run_nope');
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    });
  });

  describe('GET /api/runs', () => {
    it('when runs have happened, then limit keeps the newest and current names the run whose results every view reads', async () => {
      h = await startHarness({ enrich: (source, input, options) => (input.now.getTime() > Date.parse('2026-03-02T12:30:00Z') ? Promise.reject(new AppError('GRAPH_REQUEST_FAILED', 'Every mailbox failed.')) : runEnrichment(source, input, options)) });
      expect((await request(h.app).get('/api/runs').expect(200)).body).toEqual({ runs: [], current: null });
      await configure(h);
      await consent(h);
      const good = await runNow(h);
      h.time.set(new Date(h.time.now().getTime() + HOUR));
      const bad = await runNow(h);

      const all = await request(h.app).get('/api/runs').expect(200);
      expect(all.body.runs.map((r: RunSummary) => r.id)).toEqual([bad.id, good.id]);
      const newest = await request(h.app).get('/api/runs?limit=1').expect(200);
      expect(newest.body).toEqual({ runs: [expect.objectContaining({ id: bad.id, status: 'failed' })], current: { runId: good.id, finishedAt: good.finishedAt } });
    });

    it('when limit is not a number from 1 to 100, then 400 says so', async () => {
      h = await startHarness();
      const res = await request(h.app).get('/api/runs?limit=0');
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
    });
  });

  describe('POST /api/runs/{id}/cancel', () => {
    it('when an admin cancels a run stuck on a Graph read, then it stops at once as cancelled, commits nothing, and the previous results stay current', async () => {
      // Arrange: a first run's results, then a run stuck reading the second mailbox.
      const { enrich, stuck } = stickable();
      h = await startHarness({ enrich });
      const finished: RunSummary[] = [];
      h.services.runs.onRunFinished((s) => {
        finished.push(s);
      });
      await configure(h);
      await consent(h);
      const first = await runNow(h);
      const before = await h.services.results.current();
      stuck.on = true;
      h.time.set(new Date(h.time.now().getTime() + HOUR));
      const started = await request(h.app).post('/api/runs').send({}).expect(202);
      await until(async () => (await h.services.runs.get(started.body.id)).progress.mailboxesDone === 1, 'the first mailbox');
      const commits = jest.spyOn(h.stores.results, 'commit');

      // Act
      const t0 = Date.now();
      const res = await request(h.app).post(`/api/runs/${started.body.id}/cancel`).send();
      const elapsed = Date.now() - t0;

      // Assert: answered with the ended run, quickly, although the Graph read never returns.
      expect(res.status).toBe(200);
      expect(elapsed).toBeLessThan(3000);
      expect(res.body).toMatchObject({
        id: started.body.id,
        status: 'cancelled',
        cancelledBy: 'Demo Admin',
        finishedAt: expect.any(String),
        error: null,
        progress: { phase: 'cancelled', mailboxesDone: 1, mailboxesTotal: 2 },
      });
      expect((await request(h.app).get(`/api/runs/${started.body.id}`)).body).toEqual(res.body);
      expect(commits).not.toHaveBeenCalled();
      expect(await h.services.results.current()).toEqual(before);
      expect((await request(h.app).get('/api/runs?limit=1')).body.current).toEqual({ runId: first.id, finishedAt: first.finishedAt });
      // A cancelled run changed nothing: the bot's run-finished listeners are not told.
      expect(finished.map((s) => s.id)).toEqual([first.id]);
      expect(h.services.runs.isRunning()).toBe(false);
    });

    it('when a run was cancelled after checkpointing a mailbox, then the next run refreshes from it and equals an uninterrupted run', async () => {
      const { enrich, stuck } = stickable();
      h = await startHarness({ enrich, runState: new MemoryRunStateStore() });
      await configure(h);
      await consent(h);
      await runNow(h);
      stuck.on = true;
      h.time.set(new Date(h.time.now().getTime() + HOUR));
      const cancelled = await request(h.app).post('/api/runs').send({}).expect(202);
      await until(async () => (await h.services.runs.get(cancelled.body.id)).progress.mailboxesDone === 1, 'the first checkpoint');
      await request(h.app).post(`/api/runs/${cancelled.body.id}/cancel`).expect(200);

      stuck.on = false;
      h.time.set(new Date(h.time.now().getTime() + HOUR));
      const next = (await runNow(h)) as unknown as RunSummary;
      expect(next.status).toBe('succeeded');

      const uninterrupted = await startHarness({ sharedSimulator: h.simulator, now: h.time.now().toISOString(), runState: new MemoryRunStateStore() });
      try {
        await configure(uninterrupted);
        await consent(uninterrupted);
        await runNow(uninterrupted);
        expect(await rowsOf(h)).toEqual(await rowsOf(uninterrupted));
      } finally {
        await uninterrupted.close();
      }
    });

    it('when a run is followed over SSE and cancelled, then the stream ends with a cancelled event', async () => {
      const gate = gatedEnrich(runEnrichment);
      h = await startHarness({ enrich: gate.enrich });
      await configure(h);
      await consent(h);
      const server = await listen(h.app);
      try {
        const started = await request(h.app).post('/api/runs').send({});
        await gate.entered;
        const stream = readSse(`${server.url}/api/runs/${started.body.id}/events`);
        await stream.opened;
        const cancel = request(h.app).post(`/api/runs/${started.body.id}/cancel`).then((r) => r);
        // The gate opens on a run whose signal has aborted: the enrichment refuses to start.
        await until(() => h.services.runs.get(started.body.id).then((r) => r.cancelledBy === 'Demo Admin'), 'the cancel request');
        gate.open();
        expect((await cancel).body).toMatchObject({ status: 'cancelled' });
        const events = await stream.events;
        expect(events.map((e) => e.event).at(-1)).toBe('cancelled');
        expect(events.at(-1)!.data).toMatchObject({ id: started.body.id, status: 'cancelled' });
      } finally {
        await server.close();
      }
    });

    it('when the run has already ended, then 409 RUN_NOT_RUNNING says so in words, and the run is unchanged', async () => {
      h = await startHarness();
      await configure(h);
      await consent(h);
      const run = await runNow(h);
      const res = await request(h.app).post(`/api/runs/${run.id}/cancel`);
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'RUN_NOT_RUNNING', details: { runId: run.id, status: 'succeeded' } });
      expect(res.body.error.message).toBe(`Run ${run.id} already finished at ${run.finishedAt}; its results are current. There is nothing to cancel.`);
      expect((await request(h.app).get(`/api/runs/${run.id}`)).body).toEqual(run);
    });

    it('when the run is unknown, then 404 NOT_FOUND', async () => {
      h = await startHarness();
      const res = await request(h.app).post('/api/runs/run_nope/cancel');
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    });

    it('when a run is cancelled, then the next Run now starts at once', async () => {
      const gate = gatedEnrich(runEnrichment);
      h = await startHarness({ enrich: gate.enrich });
      await configure(h);
      await consent(h);
      const started = await request(h.app).post('/api/runs').send({});
      await gate.entered;
      const cancel = request(h.app).post(`/api/runs/${started.body.id}/cancel`).then((r) => r);
      await until(() => h.services.runs.get(started.body.id).then((r) => r.cancelledBy === 'Demo Admin'), 'the cancel request');
      gate.open();
      expect((await cancel).status).toBe(200);
      const again = await request(h.app).post('/api/runs').send({});
      expect(again.status).toBe(202);
      await h.services.runs.whenIdle();
      expect((await request(h.app).get(`/api/runs/${again.body.id}`)).body.status).toBe('succeeded');
    });
  });

  describe('GET /api/runs/{id}/events', () => {
    it('when a client follows a run, then progress events arrive in order and the stream ends with done and the summary', async () => {
      const gate = gatedEnrich(runEnrichment);
      h = await startHarness({ enrich: gate.enrich });
      await configure(h);
      await consent(h);
      const server = await listen(h.app);
      try {
        const started = await request(h.app).post('/api/runs').send({});
        const stream = readSse(`${server.url}/api/runs/${started.body.id}/events`);
        expect(await stream.opened).toEqual({ status: 200, type: 'text/event-stream; charset=utf-8' });
        gate.open();
        const events = await stream.events;
        const names = events.map((e) => e.event);
        expect(names.at(-1)).toBe('done');
        expect(names.slice(0, -1).every((n) => n === 'progress')).toBe(true);
        const progress = events.slice(0, -1).map((e) => e.data as RunSummary['progress']);
        expect(progress[0]).toMatchObject({ runId: started.body.id, phase: 'queued' });
        const phases = [...new Set(progress.map((p) => p.phase))];
        expect(phases).toEqual(['queued', 'resolving', 'collecting', 'aggregating', 'saving']);
        const percents = progress.map((p) => p.percent);
        expect(percents).toEqual([...percents].sort((a, b) => a - b));
        expect(events.at(-1)!.data).toMatchObject({ id: started.body.id, status: 'succeeded', accountsEnriched: 6, progress: { phase: 'done' } });
      } finally {
        await server.close();
      }
    });

    it('when a client subscribes after the run ended, then it gets the last progress and done at once', async () => {
      h = await startHarness();
      await configure(h);
      await consent(h);
      const run = await runNow(h);
      const server = await listen(h.app);
      try {
        const events = await readSse(`${server.url}/api/runs/${run.id}/events`).events;
        expect(events.map((e) => e.event)).toEqual(['progress', 'done']);
        expect(events[1]!.data).toMatchObject({ id: run.id, status: 'succeeded' });
      } finally {
        await server.close();
      }
    });

    it('when a run fails, then the stream ends with failed', async () => {
      h = await startHarness({ enrich: () => Promise.reject(new AppError('GRAPH_ACCESS_DENIED', 'Denied.')) });
      await configure(h);
      await consent(h);
      const run = await runNow(h);
      const server = await listen(h.app);
      try {
        const events = await readSse(`${server.url}/api/runs/${run.id}/events`).events;
        expect(events.map((e) => e.event)).toEqual(['progress', 'failed']);
        expect(events[1]!.data).toMatchObject({ status: 'failed', error: { code: 'GRAPH_ACCESS_DENIED' } });
      } finally {
        await server.close();
      }
    });

    it('when the run does not exist, then 404 JSON before any event', async () => {
      h = await startHarness();
      const res = await request(h.app).get('/api/runs/run_nope/events');
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    });
  });

  describe('the scheduler', () => {
    it('when consent is granted, then the first run is at consent + 6 h and then weekly', async () => {
      h = await startHarness();
      const finished: RunSummary[] = [];
      h.services.runs.onRunFinished((s) => {
        finished.push(s);
      });
      await h.services.scheduler.start();
      await configure(h);
      const consentAt = h.time.now().getTime();
      await consent(h);
      const firstAt = new Date(consentAt + 6 * HOUR).toISOString();
      expect((await request(h.app).get('/api/schedule')).body).toMatchObject({ nextRunAt: firstAt, explicit: false });

      const settle = async (): Promise<void> => {
        await flush();
        await h.services.scheduler.whenSettled();
      };
      await h.time.advance(6 * HOUR - 60_000, settle);
      expect((await h.stores.state.read()).runs).toHaveLength(0);
      await h.time.advance(60_000, settle);
      await h.services.runs.whenIdle();
      let runs = (await h.stores.state.read()).runs;
      expect(runs.map((r) => [r.trigger, r.startedAt, r.status])).toEqual([['schedule', firstAt, 'succeeded']]);

      const secondAt = new Date(consentAt + 6 * HOUR + 7 * DAY).toISOString();
      expect((await request(h.app).get('/api/schedule')).body.nextRunAt).toBe(secondAt);
      await h.time.advance(7 * DAY - 60_000, settle);
      expect((await h.stores.state.read()).runs).toHaveLength(1);
      await h.time.advance(60_000, settle);
      await h.services.runs.whenIdle();
      runs = (await h.stores.state.read()).runs;
      expect(runs.map((r) => [r.trigger, r.startedAt])).toEqual([
        ['schedule', firstAt],
        ['schedule', secondAt],
      ]);
      expect(finished.map((s) => s.trigger)).toEqual(['schedule', 'schedule']);
    });

    it('when scheduled runs fire across a month boundary, then the first run of each month is a full recompute', async () => {
      h = await startHarness();
      const start = jest.spyOn(h.services.runs, 'start');
      await h.services.scheduler.start();
      await configure(h);
      await consent(h);
      const settle = async (): Promise<void> => {
        await flush();
        await h.services.scheduler.whenSettled();
        await h.services.runs.whenIdle();
      };
      // Consent at 2026-03-02 12:00: runs at 03-02 18:00, 03-09, ..., 03-30, then 04-06.
      await h.time.advance(6 * HOUR + 5 * 7 * DAY, settle);
      const scheduled = start.mock.calls.filter(([trigger]) => trigger === 'schedule');
      expect(scheduled.map(([, , options]) => options?.full)).toEqual([true, false, false, false, false, true]);
    });

    it('when an explicit schedule is set, then the next run follows it in its time zone', async () => {
      h = await startHarness();
      await h.services.scheduler.start();
      await configure(h, { schedule: { dayOfWeek: 3, hour: 8, minute: 15, timeZone: 'America/New_York' } });
      await consent(h);
      // The first run still waits 6 hours after consent (Monday 2 March 2026, 18:00 UTC).
      expect((await request(h.app).get('/api/schedule')).body.nextRunAt).toBe('2026-03-02T18:00:00.000Z');
      const settle = async (): Promise<void> => {
        await flush();
        await h.services.scheduler.whenSettled();
      };
      await h.time.advance(6 * HOUR, settle);
      await h.services.runs.whenIdle();
      // Then Wednesday 08:15 in New York (UTC−5 until 8 March).
      expect((await request(h.app).get('/api/schedule')).body.nextRunAt).toBe('2026-03-04T13:15:00.000Z');
    });

    it('when a scheduled slot comes while a manual run is in progress, then the slot is skipped without error', async () => {
      const gate = gatedEnrich(runEnrichment);
      h = await startHarness({ config: demoConfig({ firstRunDelayHours: 1 }), enrich: gate.enrich });
      await h.services.scheduler.start();
      await configure(h);
      await consent(h);
      await request(h.app).post('/api/runs').send({});
      await gate.entered;
      await h.time.advance(HOUR, async () => {
        await flush();
        await h.services.scheduler.whenSettled();
      });
      gate.open();
      await h.services.runs.whenIdle();
      const runs = (await h.stores.state.read()).runs;
      expect(runs.map((r) => r.trigger)).toEqual(['manual']);
      expect((await request(h.app).get('/api/schedule')).body.nextRunAt).toBe(new Date(Date.parse('2026-03-02T13:00:00Z') + 7 * DAY).toISOString());
    });
  });
});
