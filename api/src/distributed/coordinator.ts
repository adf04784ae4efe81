/**
 * The coordinator's side of a distributed run (the `remote` seam of runEnrichment): writes the
 * run's plan, puts one task per mailbox on the queue, waits until every mailbox has a result
 * blob, then hands the partials over in ascending mailbox id order, so the merge order never
 * depends on which worker finished first. The run's blobs are deleted afterwards, and also when
 * the run is cancelled: a worker that then takes one of its tasks finds no plan and drops it.
 */
import { randomUUID } from 'node:crypto';
import { deserializePartial } from '../engagement';
import { compareIds } from '../engagement/account-directory';
import type { SelectedMailbox } from '../engagement/types';
import { AppError } from '../errors';
import type { RemoteCollection, RemotePlan } from '../enrichment/run-enrichment';
import { mapBounded } from '../lib/map-bounded';
import { encodeTask, mailboxKey, planBlobName, planToStored, resultBlobName, resultSchema, resultsPrefix, runPrefix, TASK_FORMAT, type TaskResult } from './protocol';
import { ensureStorage, storageError, type DistributedStorage } from './storage';

export interface QueueCollectionOptions {
  storage: DistributedStorage;
  /** How often the result blobs are listed while waiting. @default 1000 */
  pollMs?: number;
  /**
   * The run fails when no mailbox has finished for this long: no worker is serving the queue,
   * or every worker is stuck. @default 30 minutes
   */
  idleTimeoutMs?: number;
  /** Partials downloaded ahead of the merge. @default 4 */
  prefetch?: number;
  /** Keeps the run's blobs (plan and partials) for inspection instead of deleting them. */
  keepBlobs?: boolean;
  /** The run's id; a fresh UUID by default. */
  runId?: () => string;
  /** Called once the tasks are on the queue. */
  onQueued?: (info: { runId: string; tasks: number }) => void;
}

const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

export function queueCollection(options: QueueCollectionOptions): RemoteCollection {
  const { storage } = options;
  const pollMs = options.pollMs ?? 1000;
  const idleTimeoutMs = options.idleTimeoutMs ?? 30 * 60_000;
  const prefetch = Math.max(1, options.prefetch ?? 4);

  return {
    async collect(plan: RemotePlan, sink, signal) {
      const runId = options.runId?.() ?? randomUUID();
      const mailboxes: SelectedMailbox[] = [...plan.ctx.mailboxes].sort((a, b) => compareIds(a.id, b.id));
      await ensureStorage(storage);
      try {
        const body = JSON.stringify(planToStored(runId, plan));
        try {
          await storage.container.getBlockBlobClient(planBlobName(runId)).upload(body, Buffer.byteLength(body), {
            blobHTTPHeaders: { blobContentType: 'application/json' },
          });
          await mapBounded(mailboxes, 16, async (mailbox) => {
            signal?.throwIfAborted();
            await storage.queue.sendMessage(encodeTask({ format: TASK_FORMAT, runId, mailbox }));
          });
        } catch (e) {
          if (signal?.aborted) throw e;
          throw storageError('The run could not be put on the queue', e);
        }
        options.onQueued?.({ runId, tasks: mailboxes.length });

        // Wait until every mailbox has its result blob.
        const expected = new Set(mailboxes.map((m) => `${resultsPrefix(runId)}${mailboxKey(m.id)}.json`));
        let done = 0;
        let lastChange = Date.now();
        for (;;) {
          signal?.throwIfAborted();
          let found = 0;
          try {
            for await (const blob of storage.container.listBlobsFlat({ prefix: resultsPrefix(runId) })) {
              if (expected.has(blob.name)) found += 1;
            }
          } catch (e) {
            throw storageError('The results of the run could not be listed', e);
          }
          if (found !== done) {
            done = found;
            lastChange = Date.now();
            sink.progress(done);
          }
          if (done === mailboxes.length) break;
          if (Date.now() - lastChange > idleTimeoutMs) {
            throw new AppError(
              'INTERNAL',
              `No mailbox of the distributed run finished for ${Math.round(idleTimeoutMs / 60_000)} minutes (${done} of ${mailboxes.length} done): start workers with "npm run worker -- --queue <connection string> ..." against ${storage.describe()}.`,
              { runId, done, total: mailboxes.length },
            );
          }
          await sleep(pollMs, signal);
        }

        // Merge in mailbox id order, a few downloads ahead of the merge.
        const downloads = new Map<number, Promise<TaskResult>>();
        const start = (i: number): void => {
          if (i >= mailboxes.length || downloads.has(i)) return;
          const download = readResult(storage, runId, mailboxes[i]!);
          // A download ahead of a failed one is never awaited: its rejection must not go unhandled.
          download.catch(() => undefined);
          downloads.set(i, download);
        };
        for (let i = 0; i < mailboxes.length; i++) {
          signal?.throwIfAborted();
          for (let j = i; j < i + prefetch; j++) start(j);
          const result = await downloads.get(i)!;
          downloads.delete(i);
          if (result.outcome === 'ok') sink.partial(mailboxes[i]!, deserializePartial(result.partial), result.counts);
          else sink.failure(result.failure, result.counts);
        }
      } finally {
        if (!options.keepBlobs) await deleteRun(storage, runId);
      }
    },
  };
}

async function readResult(storage: DistributedStorage, runId: string, mailbox: SelectedMailbox): Promise<TaskResult> {
  const name = resultBlobName(runId, mailbox.id);
  let text: string;
  try {
    text = (await storage.container.getBlobClient(name).downloadToBuffer()).toString('utf8');
  } catch (e) {
    throw storageError(`The result of ${mailbox.mail} could not be read`, e);
  }
  let parsed: ReturnType<typeof resultSchema.safeParse>;
  try {
    parsed = resultSchema.safeParse(JSON.parse(text));
  } catch {
    parsed = { success: false } as ReturnType<typeof resultSchema.safeParse>;
  }
  if (!parsed.success || parsed.data.runId !== runId || parsed.data.mailboxId !== mailbox.id) {
    throw new AppError('STORE_CORRUPT', `The result blob ${name} (mailbox ${mailbox.mail}) is not a result of this run.`);
  }
  return parsed.data;
}

/** Deletes the plan first (workers then drop this run's remaining tasks), then everything else of the run. */
async function deleteRun(storage: DistributedStorage, runId: string): Promise<void> {
  try {
    await storage.container.getBlobClient(planBlobName(runId)).deleteIfExists();
    const names: string[] = [];
    for await (const blob of storage.container.listBlobsFlat({ prefix: runPrefix(runId) })) names.push(blob.name);
    await mapBounded(names, 16, (name) => storage.container.getBlobClient(name).deleteIfExists());
  } catch {
    // Best effort: a storage lifecycle rule removes what is left of old runs (docs/architecture.md).
  }
}
