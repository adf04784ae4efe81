/**
 * The coordinator and a worker in one process against Azurite, with a fake Graph source: a
 * mailbox that Exchange refuses fails with the run summary's words, a task whose worker died
 * more often than allowed fails its mailbox (TASK_ABANDONED) instead of coming back forever, and
 * the protocol's names and encodings are stable.
 */
import { AppError } from '../../api/src/errors';
import { openDistributedStorage, queueCollection, runWorker, mailboxKey } from '../../api/src/distributed';
import { decodeTask, encodeTask, parseStoredPlan, planToStored, TASK_FORMAT } from '../../api/src/distributed/protocol';
import { defaultRules, type MailboxPartial } from '../../api/src/engagement';
import type { SelectedMailbox } from '../../api/src/engagement/types';
import type { ActivitySource } from '../../api/src/enrichment/ports';
import type { MailboxFailure, RemotePlan } from '../../api/src/enrichment/run-enrichment';
import { startAzurite, type RunningAzurite } from './azurite';

jest.setTimeout(30_000);

let azurite: RunningAzurite;
beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => {
  await azurite?.close();
});

const mailboxes: SelectedMailbox[] = [
  { id: '00000000-0000-0000-0000-00000000000a', mail: 'ana@contoso.com' },
  { id: '00000000-0000-0000-0000-00000000000b', mail: 'ben@contoso.com' },
  { id: '00000000-0000-0000-0000-00000000000c', mail: 'denied@contoso.com' },
];

const plan = (): RemotePlan => ({
  ctx: { now: Date.parse('2026-11-01T00:00:00Z'), verifiedDomains: ['contoso.com'], rules: defaultRules(), mailboxes },
  dataset: { contacts: [{ email: 'kim@fabrikam.com', accountId: 'A1' }] } as RemotePlan['dataset'],
  internalDomains: ['contoso.com'],
  window: { from: new Date('2025-11-01T00:00:00Z'), mailTo: new Date('2026-11-02T00:00:00Z'), calendarTo: new Date('2027-01-30T00:00:00Z') },
});

/** A source with empty mailboxes, except one that Exchange refuses. */
function fakeSource(): ActivitySource {
  let requests = 0;
  async function* none(): AsyncGenerator<never[]> {
    requests += 1;
    yield [];
  }
  return {
    organization: async () => ({ id: 't', displayName: 'Contoso', verifiedDomains: ['contoso.com'] }),
    resolveMailboxes: async () => ({ entries: [], mailboxes }),
    folderScan: async (mailbox) => {
      requests += 1;
      if (mailbox.mail.startsWith('denied')) throw new AppError('GRAPH_ACCESS_DENIED', 'denied', { graphCode: 'ErrorAccessDenied' });
      return { excluded: new Set<string>(), all: new Set<string>() };
    },
    messagePages: () => none(),
    eventPages: () => none(),
    probeMailboxAccess: async () => ({ mail: 'granted', calendar: 'granted' }),
    stats: () => ({ requests, throttleWaits: 0, throttleWaitMs: 0, retries: 0 }),
  };
}

describe('worker and coordinator', () => {
  it('when a task was taken by a worker that died and attempts run out, then that mailbox fails as TASK_ABANDONED and the others come through', async () => {
    // Arrange: own queue and container, so nothing else shares them.
    const storage = openDistributedStorage(azurite.connectionString, { queue: 'abandon-test', container: 'abandon-test' });
    let queued!: () => void;
    const isQueued = new Promise<void>((resolve) => (queued = resolve));
    const partials: string[] = [];
    const failures: MailboxFailure[] = [];
    const collection = queueCollection({ storage, pollMs: 100, idleTimeoutMs: 20_000, onQueued: () => queued() });
    const run = collection.collect(plan(), {
      progress: () => undefined,
      partial: (m: SelectedMailbox, p: MailboxPartial) => partials.push(`${m.mail}:${p.mailboxes.join(',')}`),
      failure: (f) => failures.push(f),
    });
    await isQueued;
    // A worker that takes one task and dies: the message is invisible for 1 s, then comes back.
    const taken = (await storage.queue.receiveMessages({ numberOfMessages: 1, visibilityTimeout: 1 })).receivedMessageItems[0]!;
    const takenMailbox = decodeTask(taken.messageText)!.mailbox.mail;

    // Act
    const stop = new AbortController();
    const worker = runWorker({ storage, newSource: fakeSource, signal: stop.signal, tasks: 1, maxAttempts: 1, idlePollMs: 100 });
    await run;
    stop.abort();
    const summary = await worker;

    // Assert
    expect(summary.tasksDone).toBe(2);
    const byMailbox = new Map(failures.map((f) => [f.mailbox, f]));
    expect(byMailbox.get(takenMailbox)?.code).toBe('TASK_ABANDONED');
    expect(byMailbox.get(takenMailbox)?.message).toMatch(/taken 1 time by workers that never finished it/);
    if (takenMailbox !== 'denied@contoso.com') {
      expect(byMailbox.get('denied@contoso.com')?.code).toBe('ErrorAccessDenied');
      expect(byMailbox.get('denied@contoso.com')?.message).toMatch(/outside the mailboxes this app may read/);
    }
    // Partials arrive in ascending mailbox id order, each naming its own mailbox.
    const expectedOk = mailboxes.filter((m) => m.mail !== takenMailbox && m.mail !== 'denied@contoso.com');
    expect(partials).toEqual(expectedOk.map((m) => `${m.mail}:${m.id}`));
  });

  it('when the storage setting is neither a connection string nor an account name, then it says what to paste', () => {
    expect(() => openDistributedStorage('https://example.com/not-a-connection-string')).toThrow(/Access keys/);
  });
});

describe('the distributed protocol', () => {
  it('when a task is encoded and decoded, then it round-trips, and anything else decodes to null', () => {
    const task = { format: TASK_FORMAT, runId: '6f1c7a52-8d0b-4a9e-9a51-3c2f7d1e0b11', mailbox: { id: 'x', mail: 'a&b<c>@contoso.com' } } as const;
    expect(decodeTask(encodeTask(task))).toEqual(task);
    expect(encodeTask(task)).toMatch(/^[A-Za-z0-9+/=]+$/);
    expect(decodeTask('not base64 json')).toBeNull();
    expect(decodeTask(Buffer.from(JSON.stringify({ ...task, format: 'other' })).toString('base64'))).toBeNull();
  });

  it('when a plan is stored and parsed, then it is the same plan', () => {
    const p = plan();
    const parsed = parseStoredPlan(JSON.parse(JSON.stringify(planToStored('6f1c7a52-8d0b-4a9e-9a51-3c2f7d1e0b11', p))));
    expect(parsed).toEqual({ runId: '6f1c7a52-8d0b-4a9e-9a51-3c2f7d1e0b11', ...p });
    expect(parseStoredPlan({ format: 'rapport.distributed-plan/1' })).toBeNull();
  });

  it('when a mailbox key is computed, then it is stable, fixed-length hex and differs per mailbox', () => {
    expect(mailboxKey('a')).toBe(mailboxKey('a'));
    expect(mailboxKey('a')).toMatch(/^[0-9a-f]{32}$/);
    expect(mailboxKey('a')).not.toBe(mailboxKey('b'));
  });
});
