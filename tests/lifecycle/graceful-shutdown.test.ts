/**
 * Issue 15 §4, "done when": SIGTERM during a run. The server runs as its own process in
 * production mode against a simulator this test serves (slowed down so the run is still
 * collecting when the signal comes). It must exit within 30 s; started again on the same
 * DATA_DIR it resumes the same run from its checkpoints, and the results equal those of an
 * uninterrupted run at the same run time.
 */
import path from 'node:path';
import { createSimulatorGateway } from '../../api/src/bootstrap/tenant-gateway';
import { FileRunStateStore } from '../../api/src/enrichment/run-state';
import { silentLogger } from '../../api/src/services/logger';
import { startSimulator, type RunningSimulator } from '../../api/src/simulator';
import { openStores } from '../../api/src/store/open-stores';
import { loadResultSet } from '../../api/src/store/results-store';
import { configure, consent, runNow, startHarness } from '../api/support/harness';
import { CONTACTS_CSV, handMadeTenant } from '../api/support/tenant';
import { tempDirs } from '../support/temp-dirs';
import { ADMIN, freePort, ServerProcess, SSO_AUDIENCE } from './server-process';

const tempDir = tempDirs('rapport-lifecycle-');
jest.setTimeout(180_000);

let simulator: RunningSimulator;
const servers: ServerProcess[] = [];
beforeAll(async () => {
  // Granted in the tenant from the start: the server's Graph credential caches its first token (taken before the consent round trip).
  simulator = await startSimulator({ tenant: handMadeTenant(), consent: { granted: true } });
});
afterAll(async () => {
  for (const s of servers) s.kill();
  await simulator?.close();
});

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

it('when SIGTERM comes during a run, then the process exits within 30 s and the restarted service resumes the run to the uninterrupted results', async () => {
  // Arrange: a configured, consented production server; every Graph data request takes 150 ms.
  const dataDir = await tempDir();
  const port = await freePort();
  const token = await simulator.issueToken({ clientId: ADMIN, audience: SSO_AUDIENCE });
  const api = (server: ServerProcess, method: string, route: string, body?: string, type = 'application/json') =>
    fetch(`${server.url}${route}`, { method, headers: { Authorization: `Bearer ${token}`, ...(body ? { 'Content-Type': type } : {}) }, ...(body ? { body } : {}) });
  const first = await ServerProcess.start(simulator, dataDir, port, { GRAPH_CONCURRENCY: '1' });
  servers.push(first);
  const upload = await api(first, 'POST', '/api/datasets?kind=contacts&fileName=contacts.csv', CONTACTS_CSV, 'text/csv');
  expect(upload.status).toBe(201);
  const { datasetId } = (await upload.json()) as { datasetId: string };
  const config = {
    name: 'Sales engagement',
    orgEntries: ['sales@contoso.com'],
    consentAccepted: true,
    contacts: { datasetId, mapping: { email: 'Email', accountId: 'AccountId', accountName: 'AccountName' } },
  };
  expect((await api(first, 'PUT', '/api/config', JSON.stringify(config))).status).toBe(200);
  const consentRequest = (await (await api(first, 'POST', '/api/consent/request')).json()) as { url: string };
  const callback = new URL(await createSimulatorGateway(simulator).simulateAdminConsent!(consentRequest.url, 'accept'));
  expect((await fetch(`${first.url}${callback.pathname}${callback.search}`, { redirect: 'manual' })).status).toBeLessThan(400);
  expect((await fetch(`${first.url}/api/ready`)).status).toBe(200);
  simulator.setFaults({ latencyMs: 150 });

  // Act: a run, and SIGTERM once its first mailbox is checkpointed.
  const started = await api(first, 'POST', '/api/runs', '{}');
  expect(started.status).toBe(202);
  const runId = ((await started.json()) as { id: string }).id;
  const runsDir = path.join(dataDir, 'runs');
  await until('a checkpointed mailbox', async () => {
    const run = (await (await api(first, 'GET', `/api/runs/${runId}`)).json()) as { status: string };
    if (run.status !== 'running') throw new Error(`the run ended before the signal: ${JSON.stringify(run)}`);
    return (await (await FileRunStateStore.open(runsDir)).storedMailboxIds()).length > 0 ? true : undefined;
  });
  const stopped = await first.terminate();

  // Assert: a prompt, clean exit, with the run suspended (still running, its journal open).
  expect(stopped.code).toBe(0);
  expect(stopped.ms).toBeLessThan(30_000);
  const afterStop = await openStores(dataDir, silentLogger, { runState: true });
  const parked = (await afterStop.stores.state.read()).runs.find((r) => r.id === runId)!;
  expect(parked.status).toBe('running');
  expect(parked.progress.mailboxesDone).toBeLessThan(parked.progress.mailboxesTotal);
  expect((await afterStop.runState!.root()).active).not.toBeNull();
  expect(await afterStop.stores.results.current()).toBeNull();

  // Act: the same DATA_DIR, a new process.
  simulator.setFaults({});
  const second = await ServerProcess.start(simulator, dataDir, port);
  servers.push(second);
  const finished = await until('the resumed run to finish', async () => {
    const run = (await (await api(second, 'GET', `/api/runs/${runId}`)).json()) as { status: string; startedAt: string };
    return run.status === 'running' ? undefined : run;
  });
  expect(finished.status).toBe('succeeded');
  expect(second.logged('run resumed from checkpoints')).toBe(true);
  expect((await second.terminate()).code).toBe(0);

  // Assert: the results equal an uninterrupted run's at the same run time.
  const uninterrupted = await startHarness({ sharedSimulator: simulator, now: finished.startedAt, runState: await FileRunStateStore.open(await tempDir()) });
  await configure(uninterrupted);
  await consent(uninterrupted);
  await runNow(uninterrupted);
  const resumed = (await loadResultSet((await (await openStores(dataDir, silentLogger, { runState: false })).stores.results.current())!))!;
  const reference = (await uninterrupted.services.results.current())!;
  expect(resumed.office.length).toBeGreaterThan(0);
  expect({ office: resumed.office, totals: resumed.totals, explanations: resumed.explanations }).toEqual({
    office: reference.office,
    totals: reference.totals,
    explanations: reference.explanations,
  });
  await uninterrupted.close();
});
