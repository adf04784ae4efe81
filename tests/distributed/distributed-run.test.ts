/**
 * Distributed equals in-process (issue 12): Azurite from npm on loopback, worker processes
 * (`npm run worker`'s entry through tsx) against a small generated tenant. The Office rows of a
 * run through the queue equal the in-process run's exactly, with two workers, and again when a
 * worker is SIGKILLed mid-task (a 2 s visibility timeout brings its tasks back to the other).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { enrich, parseEnrichArgs } from '../../api/src/cli/enrich';
import { parseWorkerArgs } from '../../api/src/cli/worker';
import { openDistributedStorage } from '../../api/src/distributed';
import type { OfficeRow } from '../../api/src/engagement/types';
import { generateTenant } from '../../api/src/simulator/generator';
import { tempDirs } from '../support/temp-dirs';
import { startAzurite, type RunningAzurite } from './azurite';

jest.setTimeout(60_000);

const root = path.resolve(__dirname, '../..');
const NOW = '2026-11-01T00:00:00Z';
const tempDir = tempDirs('rapport-distributed-');

let azurite: RunningAzurite;
let tenantFile: string;
let baseArgs: string[];
let inProcess: OfficeRow[];
const workers: ChildProcess[] = [];

interface Worker {
  child: ChildProcess;
  lines: Record<string, unknown>[];
  /** Resolves with the first log line that `match` accepts. */
  waitFor(match: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startWorker(extra: string[], env: NodeJS.ProcessEnv = {}): Worker {
  // As `npm run worker` does: node with tsx's loader, one process (tsx's own CLI would relay
  // signals through a parent with a 30 ms deadline, which a loaded machine misses).
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/src/cli/worker.ts', '--queue', azurite.connectionString, '--tenant', tenantFile, ...extra], {
    cwd: root,
    env: { ...process.env, CI: 'true', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  workers.push(child);
  const lines: Record<string, unknown>[] = [];
  const waiters: { match: (line: Record<string, unknown>) => boolean; resolve: (line: Record<string, unknown>) => void }[] = [];
  createInterface({ input: child.stdout! }).on('line', (text) => {
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return;
    }
    lines.push(line);
    for (const w of waiters.splice(0)) {
      if (w.match(line)) w.resolve(line);
      else waiters.push(w);
    }
  });
  child.stderr!.resume();
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    lines,
    exited,
    waitFor: (match) => {
      const seen = lines.find(match);
      return seen ? Promise.resolve(seen) : new Promise((resolve) => waiters.push({ match, resolve }));
    },
  };
}

const sendSignal = (child: ChildProcess, name: NodeJS.Signals): void => {
  if (child.exitCode === null && child.signalCode === null) child.kill(name);
};

beforeAll(async () => {
  const dir = await tempDir();
  const generated = generateTenant({ mailboxes: 8, accounts: 30, seed: 12, now: NOW, messagesPerMailbox: 500, meetingsPerMailbox: 40 });
  tenantFile = path.join(dir, 'tenant.json');
  await writeFile(tenantFile, JSON.stringify(generated.fixture));
  const lines = ['email,account_id,account_name', ...generated.contacts.map((c) => `${c.email},${c.account_id},"${c.account_name}"`)];
  await writeFile(path.join(dir, 'contacts.csv'), lines.join('\n') + '\n');
  const org = (generated.fixture as { groups: { mail?: string | null }[] }).groups.map((g) => g.mail).filter(Boolean).join(',');
  baseArgs = ['--tenant', tenantFile, '--customers', path.join(dir, 'contacts.csv'), '--email-column', 'email', '--account-column', 'account_id', '--account-name-column', 'account_name', '--org', org, '--now', NOW];
  const [started, outcome] = await Promise.all([startAzurite(), enrich(parseEnrichArgs(baseArgs)!, { log: () => undefined })]);
  azurite = started;
  inProcess = outcome.office;
});

// A worker left running by a failed test would take the next test's tasks.
afterEach(() => {
  for (const child of workers.splice(0)) sendSignal(child, 'SIGKILL');
});

afterAll(async () => {
  await azurite?.close();
});

const distributedRun = () =>
  enrich(parseEnrichArgs([...baseArgs, '--queue', azurite.connectionString])!, { log: () => undefined }, { pollMs: 100, idleTimeoutMs: 40_000 });

describe('a distributed run through Azure Storage (Azurite)', () => {
  it('when two workers serve the queue, then the Office rows equal the in-process run exactly, and SIGTERM stops them cleanly', async () => {
    // Arrange
    const a = startWorker(['--tasks', '2']);
    const b = startWorker(['--tasks', '2']);
    await Promise.all([a, b].map((w) => w.waitFor((l) => l.message === 'worker serving tasks')));

    // Act
    const outcome = await distributedRun();

    // Assert
    expect(inProcess.length).toBeGreaterThan(0);
    expect(outcome.office).toEqual(inProcess);
    expect(outcome.totals.failures).toEqual([]);
    const done = [a, b].flatMap((w) => w.lines.filter((l) => l.message === 'mailbox collected'));
    expect(done).toHaveLength(outcome.totals.mailboxes);
    expect(outcome.totals.messagesRead).toBe(done.reduce((n, l) => n + (l.messages as number), 0));
    // Every task's Graph requests are counted in the run's summary, beyond the coordinator's own.
    expect(outcome.totals.graphRequests).toBeGreaterThan(8 * 2);
    for (const w of [a, b]) sendSignal(w.child, 'SIGTERM');
    for (const w of [a, b]) expect(await w.exited).toEqual({ code: 0, signal: null });
    expect(a.lines.some((l) => l.message === 'worker stopped')).toBe(true);
    // The run deleted its plan and partials.
    const left: string[] = [];
    for await (const blob of openDistributedStorage(azurite.connectionString).container.listBlobsFlat()) left.push(blob.name);
    expect(left).toEqual([]);
  });

  it('when a worker is SIGKILLed mid-task, then its tasks come back after the visibility timeout and the rows still equal the in-process run', async () => {
    // Arrange: a slow worker (each Graph request takes 300 ms) takes two tasks, and dies in them.
    const slow = startWorker(['--tasks', '2', '--visibility-timeout', '2', '--latency', '300'], { LOG_LEVEL: 'debug' });
    await slow.waitFor((l) => l.message === 'worker serving tasks');
    const run = distributedRun();
    await slow.waitFor((l) => l.message === 'task taken');
    await new Promise((resolve) => setTimeout(resolve, 150));
    sendSignal(slow.child, 'SIGKILL');
    expect((await slow.exited).signal).toBe('SIGKILL');
    expect(slow.lines.some((l) => l.message === 'mailbox collected')).toBe(false);

    // Act: a healthy worker serves the rest, and the killed worker's tasks once they are visible again.
    const healthy = startWorker(['--tasks', '2', '--visibility-timeout', '2']);
    const outcome = await run;

    // Assert
    expect(outcome.office).toEqual(inProcess);
    expect(outcome.totals.failures).toEqual([]);
    const retried = healthy.lines.filter((l) => l.message === 'mailbox collected' && (l.attempt as number) >= 2);
    expect(retried.length).toBeGreaterThanOrEqual(1);
    sendSignal(healthy.child, 'SIGTERM');
    expect((await healthy.exited).code).toBe(0);
  });
});

describe('npm run worker arguments', () => {
  it.each([
    [['--tenant', 't.json'], /--queue <connection string> is required/],
    [['--queue', 'UseDevelopmentStorage=true'], /exactly one of --tenant and --graph/],
    [['--queue', 'UseDevelopmentStorage=true', '--tenant', 't.json', '--tasks', '0'], /--tasks "0" must be a whole number from 1 to 64/],
    [['--queue', 'UseDevelopmentStorage=true', '--graph', 'https://graph.microsoft.com/v1.0', '--latency', '5'], /--latency applies to the simulator/],
  ])('when given %j, then it refuses with a line saying what to fix', (argv, message) => {
    expect(() => parseWorkerArgs(argv, {})).toThrow(message);
  });

  it('when --queue is missing but AZURE_STORAGE_CONNECTION_STRING is set, then that is used, with the documented defaults', () => {
    expect(parseWorkerArgs(['--tenant', 't.json'], { AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' })).toEqual({
      queue: 'UseDevelopmentStorage=true',
      tenant: 't.json',
      graph: undefined,
      tasks: 4,
      visibilityTimeout: 60,
      maxAttempts: 5,
      queueName: undefined,
      container: undefined,
      latencyMs: 0,
    });
  });

  it('when enrich gets --queue with --data-dir, then it refuses: a distributed run keeps no incremental state', () => {
    expect(() => parseEnrichArgs([...baseArgs, '--queue', 'UseDevelopmentStorage=true', '--data-dir', 'x'])).toThrow(/drop --data-dir/);
  });
});
