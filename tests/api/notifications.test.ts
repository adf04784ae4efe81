/**
 * The bot hears about runs: after each scheduled one, the notifier gets the previous and the
 * current year rows; manual runs move "previous" on but post no summary. Every run that ends,
 * failed ones included, reaches `runEnded`; held-back summaries are posted by a tick.
 */
import request from 'supertest';
import type { AfterRunInput, AfterRunReport, RunInfo } from '../../bot/src';
import { notifyAfterScheduledRuns, type RunNotifier } from '../../server/src/run-notifications';
import { silentLogger } from '../../api/src/services/logger';
import { installTelemetry, noTelemetry, SPAN } from '../../api/src/telemetry';
import { flush } from './support/fake-time';
import { configure, consent, runNow, startHarness, type Harness } from './support/harness';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

class RecordingNotifier implements RunNotifier {
  calls: AfterRunInput[] = [];
  ended: RunInfo[] = [];
  dueTicks = 0;
  afterRun(input: AfterRunInput): Promise<AfterRunReport> {
    this.calls.push(input);
    const none = { delivered: 0, skipped: 0, failed: 0, removed: 0 };
    return Promise.resolve({ summary: none, alerts: none, newlyStale: [] });
  }
  runEnded(run: RunInfo): Promise<void> {
    this.ended.push(run);
    return Promise.resolve();
  }
  deliverDue(): Promise<number> {
    this.dueTicks += 1;
    return Promise.resolve(0);
  }
}

/** A tick the test fires by hand, and whether it was stopped. */
function manualTicks() {
  const state = { tick: null as (() => void) | null, ms: 0, stopped: false };
  const every = (tick: () => void, ms: number) => {
    state.tick = tick;
    state.ms = ms;
    return () => {
      state.stopped = true;
    };
  };
  return { state, every };
}

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe('notifications after scheduled runs', () => {
  it('when scheduled runs finish, then the notifier gets previous and current rows, and manual runs post nothing', async () => {
    h = await startHarness();
    const notifier = new RecordingNotifier();
    await notifyAfterScheduledRuns(h.services, notifier, silentLogger, { every: manualTicks().every });
    await h.services.scheduler.start();
    await configure(h);
    await consent(h);
    const settle = async (): Promise<void> => {
      await flush();
      await h.services.scheduler.whenSettled();
    };

    await h.time.advance(6 * HOUR, settle);
    await h.services.runs.whenIdle();
    await flush();
    expect(notifier.calls).toHaveLength(1);
    const first = notifier.calls[0]!;
    expect(first.previous).toBeNull();
    expect(first.run).toMatchObject({ trigger: 'schedule', status: 'succeeded' });
    expect(first.current).toEqual(await h.services.results.yearRows());
    expect(first.current.length).toBeGreaterThan(0);

    await runNow(h);
    await flush();
    expect(notifier.calls).toHaveLength(1);
    const afterManual = await h.services.results.yearRows();

    await h.time.advance(7 * DAY, settle);
    await h.services.runs.whenIdle();
    await flush();
    expect(notifier.calls).toHaveLength(2);
    expect(notifier.calls[1]!.previous).toEqual(afterManual);
    expect((await request(h.app).get('/api/runs')).body.runs.map((r: { trigger: string }) => r.trigger)).toEqual(['schedule', 'manual', 'schedule']);
  });

  it('when a manual run ends, then runEnded hears it and no summary goes out', async () => {
    h = await startHarness();
    const notifier = new RecordingNotifier();
    await notifyAfterScheduledRuns(h.services, notifier, silentLogger, { every: manualTicks().every });
    await configure(h);
    await consent(h);
    await runNow(h);
    await flush();
    expect(notifier.ended).toHaveLength(1);
    expect(notifier.ended[0]).toMatchObject({ trigger: 'manual', status: 'succeeded' });
    expect(notifier.calls).toHaveLength(0);
  });

  it('when a run fails, then runEnded is told and no summary goes out', async () => {
    h = await startHarness({ enrich: () => Promise.reject(new Error('the tenant went away')) });
    const notifier = new RecordingNotifier();
    await notifyAfterScheduledRuns(h.services, notifier, silentLogger, { every: manualTicks().every });
    await configure(h);
    await consent(h);
    await runNow(h);
    await flush();
    expect(notifier.ended.map((r) => r.status)).toEqual(['failed']);
    expect(notifier.calls).toHaveLength(0);
  });

  it('when started, then held-back summaries are looked at at once and on every tick until stopped', async () => {
    h = await startHarness();
    const notifier = new RecordingNotifier();
    const { state, every } = manualTicks();
    const stop = await notifyAfterScheduledRuns(h.services, notifier, silentLogger, { every });
    await flush();
    expect(notifier.dueTicks).toBe(1);
    expect(state.ms).toBe(5 * 60_000);
    state.tick!();
    await flush();
    expect(notifier.dueTicks).toBe(2);
    stop();
    expect(state.stopped).toBe(true);
    // Stopped: a finished run no longer reaches the notifier.
    await configure(h);
    await consent(h);
    await runNow(h);
    await flush();
    expect(notifier.ended).toHaveLength(0);
  });
});

describe('proactive sends in telemetry', () => {
  it('when a run ends and held-back summaries are looked at, then each is a proactive-send span with counts only', async () => {
    const spans: { name: string; attributes: Record<string, unknown> }[] = [];
    const restore = installTelemetry({
      ...noTelemetry,
      span: (name, attributes, fn) => {
        const entry = { name, attributes: { ...attributes } };
        spans.push(entry);
        return fn({ set: (more) => Object.assign(entry.attributes, more) });
      },
    });
    try {
      h = await startHarness();
      const notifier = new RecordingNotifier();
      await notifyAfterScheduledRuns(h.services, notifier, silentLogger, { every: manualTicks().every });
      await configure(h);
      await consent(h);
      await runNow(h);
      await flush();
      const sends = spans.filter((s) => s.name === SPAN.proactiveSend);
      expect(sends.map((s) => s.attributes)).toEqual([
        { 'rapport.bot.kind': 'held-summaries', 'rapport.bot.delivered': 0 },
        { 'rapport.bot.kind': 'run-ended', 'rapport.run.status': 'succeeded' },
      ]);
    } finally {
      restore();
    }
  });
});
