/**
 * Issue 15 §4 on the distributed path: instances that share an Azure Storage account elect one
 * scheduler through a blob lease (api/src/services/lease-blob.ts), here against Azurite. The
 * lease's expiry is kept by the storage service on its own clock, so the takeover after a
 * holder stops renewing waits for real time: one 15 s lease, Azure's shortest.
 */
import request from 'supertest';
import { AppError } from '../../api/src/errors';
import { BlobLease, leaseContainer, LEASE_CONTAINER, schedulerBlobLease, SCHEDULER_LEASE_BLOB } from '../../api/src/services/lease-blob';
import type { RunningSimulator } from '../../api/src/simulator';
import { loadConfig, redactedConfig } from '../../api/src/config';
import { startSimulator } from '../../api/src/simulator';
import { startHarness, startSharedSimulator, type Harness } from '../api/support/harness';
import { startAzurite, type RunningAzurite } from '../distributed/azurite';
import { handMadeTenant } from '../api/support/tenant';
import { tempDirs } from '../support/temp-dirs';
import { freePort, ServerProcess } from './server-process';

jest.setTimeout(40_000);
const tempDir = tempDirs('rapport-blob-lease-');

let azurite: RunningAzurite;
let simulator: RunningSimulator;
const harnesses: Harness[] = [];
beforeAll(async () => {
  [azurite, simulator] = await Promise.all([startAzurite(), startSharedSimulator({ consent: { granted: true } })]);
});
afterAll(async () => {
  for (const h of harnesses) await h.close();
  await simulator?.close();
  await azurite?.close();
});

let blobs = 0;
/** Two contenders on one blob of their own, so the tests do not share a lease. */
function contenders(durationSeconds = 60): [BlobLease, BlobLease, () => Promise<{ holder?: string; state?: string }>] {
  const container = leaseContainer({ connectionString: azurite.connectionString });
  const blobName = `${SCHEDULER_LEASE_BLOB}-${(blobs += 1)}`;
  const lease = (holder: string) => new BlobLease({ container, blobName, durationSeconds, holder, renewEveryMs: 1_000 });
  const inspect = async () => {
    const props = await container.getBlobClient(blobName).getProperties();
    return { holder: props.metadata?.holder, state: props.leaseState };
  };
  return [lease('instance-a'), lease('instance-b'), inspect];
}

const settle = () => new Promise<void>((resolve) => setTimeout(resolve, 150));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('the blob lease', () => {
  it('when two instances try at once on a missing blob, then the blob is created and exactly one holds the lease, renewing it while the other stands by', async () => {
    // Arrange: no container, no blob yet.
    const [a, b, inspect] = contenders();

    // Act
    const first = await Promise.all([a.acquire(), b.acquire()]);
    const again = [await a.acquire(), await b.acquire()];

    // Assert: one winner, and each keeps its role at its next try (a renewal for the winner).
    expect(first.filter(Boolean)).toHaveLength(1);
    expect(again).toEqual(first);
    const winner = first[0] ? 'instance-a' : 'instance-b';
    expect(await inspect()).toEqual({ holder: winner, state: 'leased' });
    expect(a.description).toMatch(new RegExp(`^the blob lease on http://127\\.0\\.0\\.1:\\d+/devstoreaccount1/${LEASE_CONTAINER}/scheduler-\\d+$`));
  });

  it('when the holder releases, then the other takes the lease at its next try', async () => {
    const [a, b, inspect] = contenders();
    expect(await a.acquire()).toBe(true);
    expect(await b.acquire()).toBe(false);

    await a.release();

    expect(await b.acquire()).toBe(true);
    expect(await a.acquire()).toBe(false);
    expect((await inspect()).holder).toBe('instance-b');
  });

  it('when the holder stops renewing, then the lease lapses after its 15 s and the other takes it over; the old holder finds it lost', async () => {
    // Arrange
    const [a, b] = contenders(15);
    expect(await a.acquire()).toBe(true);

    // Act: a dies (no release, no renewals); b keeps trying.
    await sleep(10_000);
    const before = await b.acquire();
    await sleep(6_000);
    const after = await b.acquire();

    // Assert: b waited out the lease, then holds it; a's renewal is refused, so it stands by.
    expect([before, after]).toEqual([false, true]);
    expect(await a.acquire()).toBe(false);
    expect(await b.acquire()).toBe(true);
  });

  it('when the storage account cannot be reached, then trying the lease fails in words that say what to check', async () => {
    const lease = schedulerBlobLease({ connectionString: azurite.connectionString.replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:9') });

    const error = await lease.acquire().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).message).toMatch(/^Taking the blob lease on .* failed: .*Check AZURE_STORAGE_CONNECTION_STRING/);
    expect((error as AppError).message).not.toContain('AccountKey');
  });

  it.each([
    [14, /15 to 60 seconds/],
    [61, /15 to 60 seconds/],
  ])('when a lease of %i s is asked for, then it is refused with Azure\'s limits', (seconds, message) => {
    expect(() => new BlobLease({ container: leaseContainer({ connectionString: azurite.connectionString }), durationSeconds: seconds })).toThrow(message);
  });
});

describe('the scheduler on a blob lease', () => {
  it('when two instances start on one storage account, then exactly one schedules, and the standby takes over once it stops cleanly', async () => {
    // Arrange: two instances on the same data and the same lease blob.
    const a = await startHarness({ sharedSimulator: simulator });
    const b = await startHarness({ sharedSimulator: simulator, stores: a.stores });
    harnesses.push(a, b);
    const container = leaseContainer({ connectionString: azurite.connectionString });
    const lease = (holder: string) => new BlobLease({ container, blobName: 'scheduler-two-instances', holder, renewEveryMs: 1_000 });

    // Act
    await a.services.scheduler.start({ lease: lease('instance-a') });
    await b.services.scheduler.start({ lease: lease('instance-b') });

    // Assert: one runs, one stands by and says why; both serve the API.
    expect([a.services.scheduler.status().state, b.services.scheduler.status().state]).toEqual(['running', 'standby']);
    const ready = await request(b.app).get('/api/ready');
    expect(ready.status).toBe(200);
    const check = (ready.body.checks as { name: string; message: string }[]).find((c) => c.name === 'scheduler')!;
    expect(check.message).toMatch(/another instance holds the lease \(the blob lease on .*scheduler-two-instances\)/);

    // Renewals keep the roles.
    await a.time.advance(1_000, settle);
    await b.time.advance(1_000, settle);
    expect([a.services.scheduler.status().state, b.services.scheduler.status().state]).toEqual(['running', 'standby']);

    // Act: a stops cleanly (releases); b's next try takes the lease.
    await a.services.scheduler.shutdown();
    await b.time.advance(1_000, settle);

    // Assert
    expect([a.services.scheduler.status().state, b.services.scheduler.status().state]).toEqual(['stopped', 'running']);
  });
});

describe('the storage settings', () => {
  const base = { DATA_DIR: '/tmp/rapport-blob-lease-config' };

  it.each([
    ['a connection string', { AZURE_STORAGE_CONNECTION_STRING: 'DefaultEndpointsProtocol=https;AccountName=rapportstore;AccountKey=c2VjcmV0;EndpointSuffix=core.windows.net' }, { connectionString: expect.stringContaining('AccountName=rapportstore') }, 'connection string for rapportstore (***)'],
    ['an account name with the managed identity', { AZURE_STORAGE_ACCOUNT_NAME: 'rapportstore', TENANT_ID: 'tenant', CLIENT_ID: 'app', MANAGED_IDENTITY_CLIENT_ID: 'mi-client' }, { accountName: 'rapportstore', managedIdentityClientId: 'mi-client' }, 'account rapportstore (managed identity)'],
    ['both (the connection string wins)', { AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true', AZURE_STORAGE_ACCOUNT_NAME: 'rapportstore' }, { connectionString: 'UseDevelopmentStorage=true' }, 'connection string for the local emulator (***)'],
    ['neither', {}, undefined, 'none (scheduler lease: a lock file under DATA_DIR)'],
  ])('when the environment sets %s, then the config picks the storage and logs no key', (_what, env, storage, logged) => {
    // 'graph': the production case (the federated identity) without the bot and SSO settings.
    const config = loadConfig({ ...base, ...env }, 'graph');

    expect(config.storage).toEqual(storage);
    expect(redactedConfig(config).storage).toBe(logged);
    expect(JSON.stringify(redactedConfig(config))).not.toContain('c2VjcmV0');
  });

  it.each([
    [{ AZURE_STORAGE_CONNECTION_STRING: 'https://rapportstore.blob.core.windows.net' }, /AZURE_STORAGE_CONNECTION_STRING is not a connection string.*Access keys/],
    [{ AZURE_STORAGE_ACCOUNT_NAME: 'Rapport-Store' }, /AZURE_STORAGE_ACCOUNT_NAME "Rapport-Store" is not a storage account name/],
  ])('when the storage setting is malformed (%j), then the config is refused in words', (env, message) => {
    expect(() => loadConfig({ ...base, ...env })).toThrow(message);
  });
});

describe('two server processes on one storage account', () => {
  const servers: ServerProcess[] = [];
  afterAll(() => {
    for (const s of servers) s.kill();
  });

  it('when two production servers with separate data folders start against the same storage, then exactly one runs the scheduler and the other stands by on the blob lease', async () => {
    // Arrange: nothing shared but the storage account (each has its own DATA_DIR, so no lock file could elect).
    const graph = await startSimulator({ tenant: handMadeTenant(), consent: { granted: true } });
    try {
      const env = { AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString };
      const [dirA, dirB, portA, portB] = await Promise.all([tempDir(), tempDir(), freePort(), freePort()]);

      // Act
      servers.push(...(await Promise.all([ServerProcess.start(graph, dirA, portA, env), ServerProcess.start(graph, dirB, portB, env)])));
      const checks = await Promise.all(
        servers.map(async (s) => {
          // Listening comes before the first answer from the lease: until then ready is 503 "starting".
          for (let attempt = 0; ; attempt++) {
            const ready = await fetch(`${s.url}/api/ready`);
            const body = (await ready.json()) as { checks: { name: string; message: string }[] };
            const scheduler = body.checks.find((c) => c.name === 'scheduler')!.message;
            if (!/is starting/.test(scheduler) || attempt >= 100) return { status: ready.status, scheduler };
            await new Promise((r) => setTimeout(r, 100));
          }
        }),
      );

      // Assert: one holder, said in the logs; the other ready and saying whose lease it waits for. No key in any log line.
      expect(servers.filter((s) => s.logged('this instance runs the scheduler (lease taken)'))).toHaveLength(1);
      expect(checks.map((c) => c.status)).toEqual([200, 200]);
      expect(checks.filter((c) => /another instance holds the lease \(the blob lease on .*\/rapport-leases\/scheduler\)/.test(c.scheduler))).toHaveLength(1);
      const key = /AccountKey=([^;]+)/.exec(azurite.connectionString)![1];
      expect(JSON.stringify(servers.flatMap((s) => s.logs))).not.toContain(key);
      await Promise.all(servers.map((s) => s.terminate()));
    } finally {
      await graph.close();
    }
  });
});
