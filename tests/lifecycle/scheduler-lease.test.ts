/**
 * Issue 15 §4: two instances on the same data elect exactly one scheduler (a lock file under
 * DATA_DIR), the other stands by and takes over once the first stops or dies. And the probes
 * while stopping: health stays 200, ready and every work-taking request answer 503.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import request from 'supertest';
import { lifecycleOf } from '../../api/src/http/app';
import { FileLease } from '../../api/src/services/lease';
import type { RunningSimulator } from '../../api/src/simulator';
import { configure, consent, startHarness, startSharedSimulator, type Harness } from '../api/support/harness';
import { tempDirs } from '../support/temp-dirs';

const tempDir = tempDirs('rapport-lease-');
const TTL = 3_000;
const RENEW = 1_000;

let simulator: RunningSimulator;
const harnesses: Harness[] = [];
beforeAll(async () => {
  simulator = await startSharedSimulator({ consent: { granted: true } });
});
afterAll(async () => {
  for (const h of harnesses) await h.close();
  await simulator.close();
});

async function instance(stores?: Harness['stores']): Promise<Harness> {
  const h = await startHarness({ sharedSimulator: simulator, ...(stores ? { stores } : {}) });
  harnesses.push(h);
  return h;
}
const leaseAt = (file: string, h: Harness, holder: string) => new FileLease({ path: file, clock: h.time, holder, ttlMs: TTL, renewEveryMs: RENEW });
/** Lets the lease's file work (several awaits on disk) finish after each timer fires. */
const disk = () => new Promise<void>((resolve) => setTimeout(resolve, 30));
const holderIn = async (file: string) => {
  try {
    return (JSON.parse(await readFile(file, 'utf8')) as { holder?: string }).holder;
  } catch {
    return undefined;
  }
};
const schedulerCheck = async (h: Harness) => ((await request(h.app).get('/api/ready')).body.checks as { name: string; message: string }[]).find((c) => c.name === 'scheduler')!;

describe('the scheduler lease', () => {
  it('when two instances start on the same data, then exactly one schedules, and the other takes over once the first dies', async () => {
    // Arrange: two instances on the same documents and the same lock file.
    const file = path.join(await tempDir(), 'scheduler.lease');
    const a = await instance();
    const b = await instance(a.stores);

    // Act
    await a.services.scheduler.start({ lease: leaseAt(file, a, 'instance-a') });
    await b.services.scheduler.start({ lease: leaseAt(file, b, 'instance-b') });

    // Assert: one runs, one stands by; both are ready (a standby serves the API).
    expect([a.services.scheduler.status().state, b.services.scheduler.status().state]).toEqual(['running', 'standby']);
    expect(await holderIn(file)).toBe('instance-a');
    expect((await request(b.app).get('/api/ready')).status).toBe(200);
    expect((await schedulerCheck(b)).message).toMatch(/another instance holds the lease/);

    // While a renews, b keeps standing by past the lifetime of a's first lease.
    for (let t = 0; t < TTL * 2; t += RENEW) {
      await a.time.advance(RENEW, disk);
      await b.time.advance(RENEW, disk);
    }
    expect([a.services.scheduler.status().state, b.services.scheduler.status().state]).toEqual(['running', 'standby']);

    // Act: a dies (no release, no more renewals); b's clock passes the expiry.
    a.services.scheduler.stop();
    await b.time.advance(TTL + RENEW, disk);

    // Assert
    expect(b.services.scheduler.status().state).toBe('running');
    expect(await holderIn(file)).toBe('instance-b');
  });

  it('when the holder stops cleanly, then it gives the lease up and a standby takes it at its next try, before the expiry', async () => {
    const file = path.join(await tempDir(), 'scheduler.lease');
    const a = await instance();
    const b = await instance(a.stores);
    await a.services.scheduler.start({ lease: leaseAt(file, a, 'instance-a') });
    await b.services.scheduler.start({ lease: leaseAt(file, b, 'instance-b') });

    await a.services.scheduler.shutdown();
    await b.time.advance(RENEW, disk);

    expect([a.services.scheduler.status().state, b.services.scheduler.status().state]).toEqual(['stopped', 'running']);
  });

  it.each([
    ['an expired lease of a dead holder', (now: number) => JSON.stringify({ holder: 'dead', expiresAt: now - 1 }), true],
    ['a live lease of another holder', (now: number) => JSON.stringify({ holder: 'alive', expiresAt: now + TTL }), false],
    ['a torn record written just now', () => '{"hold', false],
  ])('when the lock file holds %s, then whether the lease is taken is as expected', async (_what, content, taken) => {
    const file = path.join(await tempDir(), 'scheduler.lease');
    const clock = { now: () => new Date('2026-03-02T12:00:00Z') };
    await writeFile(file, content(clock.now().getTime()));
    const lease = new FileLease({ path: file, clock, holder: 'me', ttlMs: TTL });
    expect(await lease.acquire()).toBe(taken);
    expect((await holderIn(file)) === 'me').toBe(taken);
  });
});

describe('shutting down', () => {
  it('when shutdown has begun, then health stays 200, ready answers 503 in words, and new work answers 503 SHUTTING_DOWN', async () => {
    // Arrange
    const h = await instance();
    await h.services.scheduler.start();
    await configure(h);
    await consent(h);
    expect((await request(h.app).get('/api/ready')).status).toBe(200);

    // Act
    lifecycleOf(h.app).beginShutdown();

    // Assert
    expect((await request(h.app).get('/api/health')).status).toBe(200);
    const ready = await request(h.app).get('/api/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.error).toMatchObject({ code: 'NOT_READY', message: expect.stringMatching(/shutting down/) });
    for (const call of [
      request(h.app).post('/api/runs').send({}),
      request(h.app).post('/api/datasets?kind=contacts&fileName=contacts.csv').set('Content-Type', 'text/csv').send('Email,AccountId\n'),
      request(h.app).put('/api/config').send({}),
    ]) {
      const res = await call;
      expect({ status: res.status, code: res.body.error?.code, retryAfter: res.headers['retry-after'] }).toEqual({ status: 503, code: 'SHUTTING_DOWN', retryAfter: '30' });
    }
    expect(await h.services.runs.list()).toEqual([]);
    expect((await request(h.app).get('/api/config')).status).toBe(200);
  });
});
