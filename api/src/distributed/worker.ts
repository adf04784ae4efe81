/**
 * A worker of a distributed run: takes one mailbox task at a time per lane from the queue,
 * collects and reduces the mailbox into a partial, writes it to its blob, then deletes the
 * message. Nothing is lost if the process dies: the message stays in the queue, invisible only
 * until its visibility timeout runs out (renewed while a long mailbox is being read), and then
 * another worker takes it. A retried task writes under the same blob name, and only the first
 * write stands (If-None-Match: *), so a result is never half-written or replaced.
 */
import { AppError } from '../errors';
import { buildAccountDirectory, serializePartial } from '../engagement';
import type { AccountDirectory } from '../engagement/account-directory';
import { abortableSource } from '../enrichment/abortable-source';
import type { ActivitySource } from '../enrichment/ports';
import { collectMailboxPartial, describeFailure, type RemoteCounts, type RemotePlan } from '../enrichment/run-enrichment';
import { mapBounded } from '../lib/map-bounded';
import { decodeTask, parseStoredPlan, planBlobName, RESULT_FORMAT, resultBlobName, type TaskMessage, type TaskResult } from './protocol';
import { ensureStorage, hasStatus, storageError, type DistributedStorage } from './storage';

export const DEFAULT_VISIBILITY_TIMEOUT_S = 60;
export const DEFAULT_MAX_ATTEMPTS = 5;
export const DEFAULT_TASKS = 4;

export type WorkerLogEntry =
  /** `attempt` > 1: the task was taken before by a worker that died or stopped. */
  | { kind: 'taskDone'; runId: string; mailbox: string; outcome: 'ok' | 'failed'; ms: number; messages: number; events: number; attempt: number }
  | { kind: 'taskTaken'; runId: string; mailbox: string; attempt: number }
  | { kind: 'taskReturned'; runId: string; mailbox: string; reason: 'stopping' }
  | { kind: 'taskDropped'; reason: 'malformed' | 'runGone' | 'alreadyDone'; runId?: string; mailbox?: string }
  | { kind: 'taskAbandoned'; runId: string; mailbox: string; attempts: number }
  | { kind: 'storageFault'; message: string };

export interface WorkerOptions {
  storage: DistributedStorage;
  /** A fresh source for one task: its stats are that task's Graph requests. */
  newSource(): ActivitySource;
  /** Stops the worker: no new task is taken and the tasks under way are made visible again at once. */
  signal: AbortSignal;
  /** Tasks (mailboxes) collected at once by this process. @default 4 */
  tasks?: number;
  /** Seconds a taken task stays invisible to other workers; renewed every third of it while working. @default 60 */
  visibilityTimeoutSeconds?: number;
  /** A task taken this many times without finishing fails its mailbox instead of being taken again. @default 5 */
  maxAttempts?: number;
  /** Longest wait between two looks at an empty queue. @default 1000 */
  idlePollMs?: number;
  log?: (entry: WorkerLogEntry) => void;
}

export interface WorkerSummary {
  tasksDone: number;
  tasksReturned: number;
}

interface LoadedPlan {
  plan: RemotePlan;
  directory: AccountDirectory;
}

const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/** Serves tasks until `signal` aborts; resolves once every task under way is finished or returned. */
export async function runWorker(options: WorkerOptions): Promise<WorkerSummary> {
  const { storage, signal } = options;
  const visibility = options.visibilityTimeoutSeconds ?? DEFAULT_VISIBILITY_TIMEOUT_S;
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  const idlePollMs = options.idlePollMs ?? 1000;
  const log = options.log ?? (() => undefined);
  const summary: WorkerSummary = { tasksDone: 0, tasksReturned: 0 };
  if (!Number.isInteger(visibility) || visibility < 1 || visibility > 7 * 24 * 3600) {
    throw new AppError('CONFIG_INVALID', `The visibility timeout must be a whole number of seconds from 1 to 604800, not ${visibility}.`);
  }
  await ensureStorage(storage);

  // Plans are read once per run per process; a few recent runs are kept (runs are sequential per tenant).
  const plans = new Map<string, Promise<LoadedPlan | null>>();
  const loadPlan = (runId: string): Promise<LoadedPlan | null> => {
    let loaded = plans.get(runId);
    if (!loaded) {
      loaded = (async () => {
        try {
          const buffer = await storage.container.getBlobClient(planBlobName(runId)).downloadToBuffer();
          const plan = parseStoredPlan(JSON.parse(buffer.toString('utf8')));
          if (!plan) return null;
          return { plan, directory: buildAccountDirectory(plan.dataset, plan.internalDomains).directory };
        } catch (e) {
          if (hasStatus(e, 404)) return null;
          throw e;
        }
      })();
      loaded.catch(() => plans.delete(runId));
      plans.set(runId, loaded);
      while (plans.size > 4) plans.delete(plans.keys().next().value!);
    }
    return loaded;
  };

  const writeResult = async (name: string, result: TaskResult): Promise<void> => {
    const body = JSON.stringify(result);
    try {
      await storage.container.getBlockBlobClient(name).upload(body, Buffer.byteLength(body), {
        conditions: { ifNoneMatch: '*' },
        blobHTTPHeaders: { blobContentType: 'application/json' },
      });
    } catch (e) {
      // Another attempt of the same task wrote first: its result stands (both are the same partial).
      if (hasStatus(e, 409) || hasStatus(e, 412)) return;
      throw e;
    }
  };

  const deleteMessage = async (messageId: string, popReceipt: string): Promise<void> => {
    try {
      await storage.queue.deleteMessage(messageId, popReceipt);
    } catch (e) {
      // Gone already, or taken by another worker after our lease ran out: its result is the same.
      if (hasStatus(e, 404) || hasStatus(e, 400)) return;
      throw e;
    }
  };

  const handle = async (messageId: string, receipt: string, text: string, dequeueCount: number): Promise<void> => {
    let popReceipt = receipt;
    const task: TaskMessage | null = decodeTask(text);
    if (!task) {
      log({ kind: 'taskDropped', reason: 'malformed' });
      return deleteMessage(messageId, popReceipt);
    }
    const { runId, mailbox } = task;
    const loaded = await loadPlan(runId);
    if (!loaded) {
      // The run finished or was cancelled (its plan is deleted then): the task is moot.
      log({ kind: 'taskDropped', reason: 'runGone', runId, mailbox: mailbox.mail });
      return deleteMessage(messageId, popReceipt);
    }
    const name = resultBlobName(runId, mailbox.id);
    const blob = storage.container.getBlobClient(name);
    if (await blob.exists()) {
      log({ kind: 'taskDropped', reason: 'alreadyDone', runId, mailbox: mailbox.mail });
      return deleteMessage(messageId, popReceipt);
    }
    const zero: RemoteCounts = { messages: 0, events: 0, requests: 0, throttleWaits: 0 };
    if (dequeueCount > maxAttempts) {
      // A poison task: every worker that took it died or stalled. The mailbox fails, as an
      // in-process mailbox failure does, and the run goes on without it.
      log({ kind: 'taskAbandoned', runId, mailbox: mailbox.mail, attempts: dequeueCount - 1 });
      await writeResult(name, {
        format: RESULT_FORMAT,
        runId,
        mailboxId: mailbox.id,
        outcome: 'failed',
        counts: zero,
        failure: {
          mailbox: mailbox.mail,
          code: 'TASK_ABANDONED',
          message: `${mailbox.mail} was taken ${dequeueCount - 1} time${dequeueCount - 1 === 1 ? '' : 's'} by workers that never finished it (a worker crashed or ran out of memory each time); see the workers' logs.`,
        },
      });
      return deleteMessage(messageId, popReceipt);
    }

    const started = Date.now();
    log({ kind: 'taskTaken', runId, mailbox: mailbox.mail, attempt: dequeueCount });
    const stop = new AbortController();
    const onStop = (): void => stop.abort(signal.reason);
    signal.addEventListener('abort', onStop, { once: true });
    // Keeps the task invisible while a long mailbox is read; a renewal that fails (the lease was
    // lost to another worker) changes nothing here: the result blob's first write wins.
    const renew = setInterval(
      () => {
        storage.queue
          .updateMessage(messageId, popReceipt, undefined, visibility)
          .then((r) => {
            if (r.popReceipt) popReceipt = r.popReceipt;
          })
          .catch(() => undefined);
      },
      Math.max(500, (visibility * 1000) / 3),
    );
    try {
      const raw = options.newSource();
      const source = abortableSource(raw, stop.signal);
      let result: TaskResult;
      try {
        const { partial, messages, events } = await collectMailboxPartial(source, loaded.plan.ctx, loaded.directory, mailbox, loaded.plan.window);
        const stats = raw.stats();
        result = {
          format: RESULT_FORMAT,
          runId,
          mailboxId: mailbox.id,
          outcome: 'ok',
          counts: { messages, events, requests: stats.requests, throttleWaits: stats.throttleWaits },
          partial: serializePartial(partial),
        };
      } catch (e) {
        if (stop.signal.aborted) {
          clearInterval(renew);
          // Stopping: the task goes back to the queue now rather than after its timeout.
          await storage.queue.updateMessage(messageId, popReceipt, undefined, 0).catch(() => undefined);
          summary.tasksReturned += 1;
          log({ kind: 'taskReturned', runId, mailbox: mailbox.mail, reason: 'stopping' });
          return;
        }
        const stats = raw.stats();
        result = {
          format: RESULT_FORMAT,
          runId,
          mailboxId: mailbox.id,
          outcome: 'failed',
          counts: { ...zero, requests: stats.requests, throttleWaits: stats.throttleWaits },
          failure: describeFailure(mailbox, e),
        };
      }
      clearInterval(renew);
      await writeResult(name, result);
      await deleteMessage(messageId, popReceipt);
      summary.tasksDone += 1;
      log({
        kind: 'taskDone',
        runId,
        mailbox: mailbox.mail,
        outcome: result.outcome,
        ms: Date.now() - started,
        messages: result.counts.messages,
        events: result.counts.events,
        attempt: dequeueCount,
      });
    } finally {
      clearInterval(renew);
      signal.removeEventListener('abort', onStop);
    }
  };

  const lane = async (): Promise<void> => {
    let idle = 50;
    while (!signal.aborted) {
      let received;
      try {
        received = await storage.queue.receiveMessages({ numberOfMessages: 1, visibilityTimeout: visibility });
      } catch (e) {
        if (signal.aborted) break;
        log({ kind: 'storageFault', message: storageError('Taking a task from the queue failed', e).message });
        await sleep(idlePollMs, signal);
        continue;
      }
      const item = received.receivedMessageItems[0];
      if (!item) {
        await sleep(idle, signal);
        idle = Math.min(idlePollMs, idle * 2);
        continue;
      }
      idle = 50;
      try {
        await handle(item.messageId, item.popReceipt, item.messageText, item.dequeueCount);
      } catch (e) {
        // A storage fault while handling: the message is left alone and becomes visible again
        // when its timeout runs out, so the task is retried (its dequeue count grows).
        log({ kind: 'storageFault', message: storageError('A task could not be completed', e).message });
      }
    }
  };
  await mapBounded(
    Array.from({ length: Math.max(1, options.tasks ?? DEFAULT_TASKS) }, (_, i) => i),
    Infinity,
    () => lane(),
  );
  return summary;
}
