/**
 * Client-side JSON batching: up to 20 GETs in one `POST /$batch`
 * (https://learn.microsoft.com/graph/json-batching).
 *
 * Why: a round trip to Graph costs 0.3–2 s; a mailbox's well-known folder look-ups and the top
 * of its folder tree are independent, so sending them together saves most of those waits and
 * most of the requests a run reports.
 *
 * What Graph does with a batch, and what we do about it:
 * - Members are throttled one by one, as if sent alone: a member may answer 429/503/504 with its
 *   own `Retry-After` while the others succeed
 *   (https://learn.microsoft.com/graph/throttling#throttling-and-batching). Only those members
 *   are sent again, in a new batch, after the longest wait they asked for (so none is retried
 *   early), by the client's retry policy (retry.ts): same waits, same retry limit, same counters.
 * - Outlook runs at most 4 requests per app and mailbox at once, batch members included
 *   (https://learn.microsoft.com/graph/throttling-limits#outlook-service-limits). So a batch
 *   never holds more than the limiter's per-mailbox limit of one mailbox's members, and takes
 *   that many of the mailbox's slots (and one global slot: it is one HTTP request) while it runs.
 * - Members run in any order and `dependsOn` is not used: a failed dependency fails the
 *   members after it (424), and a missing folder is normal.
 * - A member's failure is its own: it comes back as that member's outcome (the same AppError a
 *   plain GET would have thrown), never as the whole batch's.
 */
import { z } from 'zod';
import { AppError } from '../errors';
import type { GraphClient } from './client';
import { errorFromResponse, readGraphError } from './graph-errors';
import type { ConcurrencyLimiter } from './limiter';
import { parsePayload } from './paging';
import { decideRetry } from './retry';

/** Graph's limit of requests in one batch. */
export const MAX_BATCH_MEMBERS = 20;

export interface BatchGet {
  /** The mailbox the request reads (its per-mailbox limit applies); undefined: none. */
  key?: string | undefined;
  /** An absolute URL under the client's base URL (e.g. from `buildUrl`). */
  url: string;
  headers?: Record<string, string>;
}

/** One member's result: its JSON body, or the error a plain GET would have thrown. */
export type BatchOutcome = { ok: true; body: unknown } | { ok: false; error: unknown };

/** Several GETs at once; each outcome at its request's index. */
export type GraphGetMany = (requests: ReadonlyArray<Omit<BatchGet, 'key'>>) => Promise<BatchOutcome[]>;

/**
 * Request indexes cut into batches, first fit in order: at most `max` members per batch and at
 * most `perKey` of one key. Requests without a key count only against `max`.
 */
export function packBatches(keys: ReadonlyArray<string | undefined>, perKey: number, max = MAX_BATCH_MEMBERS): number[][] {
  const batches: Array<{ indexes: number[]; byKey: Map<string, number> }> = [];
  keys.forEach((key, index) => {
    let batch = batches.find((b) => b.indexes.length < max && (key === undefined || (b.byKey.get(key) ?? 0) < perKey));
    if (!batch) {
      batch = { indexes: [], byKey: new Map() };
      batches.push(batch);
    }
    batch.indexes.push(index);
    if (key !== undefined) batch.byKey.set(key, (batch.byKey.get(key) ?? 0) + 1);
  });
  return batches.map((b) => b.indexes);
}

const envelopeSchema = z.object({
  responses: z.array(
    z.object({
      id: z.string(),
      status: z.number().int(),
      headers: z.record(z.string(), z.string()).optional(),
      body: z.unknown().optional(),
    }),
  ),
});

export class GraphBatch {
  constructor(
    private readonly client: Pick<GraphClient, 'baseUrl' | 'postJson' | 'memberRetry'>,
    private readonly limiter: Pick<ConcurrencyLimiter, 'runMany' | 'perKey'>,
  ) {}

  /** GETs every request through as few batches as the limits allow; outcomes in request order. */
  async getAll(requests: readonly BatchGet[]): Promise<BatchOutcome[]> {
    const members = requests.map((r) => ({ ...r, path: this.relative(r.url) }));
    const outcomes: BatchOutcome[] = new Array<BatchOutcome>(requests.length);
    const batches = packBatches(
      members.map((m) => m.key),
      this.limiter.perKey,
    );
    await Promise.all(batches.map((indexes) => this.send(members, indexes, outcomes)));
    return outcomes;
  }

  private async send(members: ReadonlyArray<BatchGet & { path: string }>, indexes: number[], outcomes: BatchOutcome[]): Promise<void> {
    const retry = this.client.memberRetry;
    let pending = indexes;
    for (let attempt = 0; pending.length > 0; attempt += 1) {
      const slots = new Map<string, number>();
      for (const i of pending) {
        const key = members[i]!.key;
        if (key !== undefined) slots.set(key, (slots.get(key) ?? 0) + 1);
      }
      const requests = pending.map((i) => ({ id: String(i), method: 'GET', url: members[i]!.path, ...(members[i]!.headers ? { headers: members[i]!.headers } : {}) }));
      const envelope = parsePayload(envelopeSchema, await this.limiter.runMany(slots, () => this.client.postJson('/$batch', { requests })));
      const byId = new Map(envelope.responses.map((r) => [r.id, r]));
      const again: number[] = [];
      let waitMs = 0;
      for (const i of pending) {
        const response = byId.get(String(i));
        if (!response) {
          outcomes[i] = { ok: false, error: new AppError('GRAPH_REQUEST_FAILED', 'Microsoft Graph left a batched request unanswered.', { graphCode: 'BatchMemberMissing', status: null }) };
          continue;
        }
        const { status, body } = response;
        if (status >= 200 && status < 300) {
          outcomes[i] =
            typeof body === 'object' && body !== null
              ? { ok: true, body }
              : { ok: false, error: new AppError('GRAPH_REQUEST_FAILED', `Microsoft Graph answered ${status} without a JSON body.`, { graphCode: 'InvalidResponseBody', status }) };
          continue;
        }
        const decision = decideRetry(retry, { status, retryAfter: headerOf(response.headers, 'retry-after'), body }, attempt);
        if (decision.retry) {
          retry.record(members[i]!.url, status, decision, attempt + 1);
          waitMs = Math.max(waitMs, decision.waitMs);
          again.push(i);
        } else {
          outcomes[i] = { ok: false, error: errorFromResponse(readGraphError(status, body)) };
        }
      }
      pending = again;
      if (pending.length > 0) await retry.sleep(waitMs);
    }
  }

  /** A member's URL is relative to the version root: `/users/…`. */
  private relative(url: string): string {
    const base = `${this.client.baseUrl}/`;
    if (!url.startsWith(base)) {
      throw new AppError('INTERNAL', 'Only requests under the Graph base URL can be batched.', { graphCode: 'BatchForeignUrl' });
    }
    return `/${url.slice(base.length)}`;
  }
}

/** GETs one by one through `get`, as outcomes: what a source without batching does. */
export function getManyOneByOne(get: (url: string, headers?: Record<string, string>) => Promise<unknown>): GraphGetMany {
  return (requests) =>
    Promise.all(
      requests.map((r) =>
        get(r.url, r.headers).then(
          (body): BatchOutcome => ({ ok: true, body }),
          (error: unknown): BatchOutcome => ({ ok: false, error }),
        ),
      ),
    );
}

function headerOf(headers: Record<string, string> | undefined, name: string): string | null {
  for (const [k, v] of Object.entries(headers ?? {})) if (k.toLowerCase() === name) return v;
  return null;
}
