/**
 * The bot hears about scheduled runs: after each one, the notifier gets the previous and the
 * current year rows. Manual runs move "previous" on but post nothing.
 */
import request from 'supertest';
import type { AfterRunInput, AfterRunReport } from '../../bot/src';
import { notifyAfterScheduledRuns, type RunNotifier } from '../../server/src/run-notifications';
import { silentLogger } from '../../api/src/services/logger';
import { flush } from './support/fake-time';
import { configure, consent, runNow, startHarness, type Harness } from './support/harness';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

class RecordingNotifier implements RunNotifier {
  calls: AfterRunInput[] = [];
  afterRun(input: AfterRunInput): Promise<AfterRunReport> {
    this.calls.push(input);
    const none = { delivered: 0, skipped: 0, failed: 0, removed: 0 };
    return Promise.resolve({ summary: none, alerts: none, newlyStale: [] });
  }
}

let h: Harness;
afterEach(async () => {
  await h?.close();
});

describe('notifications after scheduled runs', () => {
  it('when scheduled runs finish, then the notifier gets previous and current rows, and manual runs post nothing', async () => {
    h = await startHarness();
    const notifier = new RecordingNotifier();
    await notifyAfterScheduledRuns(h.services, notifier, silentLogger);
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
});
