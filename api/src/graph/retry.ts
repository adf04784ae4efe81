/**
 * Rapport's retry policy for Graph, as a graph-client middleware.
 *
 * We do not use the library's RetryHandler (read in @microsoft/microsoft-graph-client 3.0.7,
 * src/middleware/RetryHandler.ts): it retries 429, 503 and 504 only, so neither 500/502 nor
 * dropped connections; its sleep is a hard-wired setTimeout; and it keeps no counters.
 *
 * The policy (DESIGN.md §5):
 * - 429, 503 and 504 with `Retry-After` (seconds or an HTTP date): wait exactly that long,
 *   capped at `maxRetryAfterMs`, and count it as a throttle wait;
 * - any other 5xx, a 429/503/504 without `Retry-After`, and a request that got no response
 *   (reset, refused or dropped connection, socket hang up, attempt timeout): exponential
 *   backoff with jitter, `min(maxDelayMs, baseDelayMs * 2^retry) * (0.5 + 0.5 * random())`;
 * - any other 4xx, and the mailbox-level codes MailboxNotEnabledForRESTAPI / ErrorAccessDenied
 *   whatever their status: no retry;
 * - at most `maxRetries` retries per request; then the last response (or error) stands.
 */
import type { Context, Middleware, MiddlewareOptions } from '@microsoft/microsoft-graph-client';
import type { SourceStats } from '../enrichment/ports';
import { isNonRetryableGraphCode, networkErrorCode, readGraphError } from './graph-errors';

export interface RetryPolicy {
  /** Retries per request, of any kind. @default 6 */
  maxRetries: number;
  /** First backoff delay. @default 500 */
  baseDelayMs: number;
  /** Longest backoff delay. @default 30000 */
  maxDelayMs: number;
  /** Longest `Retry-After` honoured; longer requests wait this long. @default 600000 */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxRetries: 6, baseDelayMs: 500, maxDelayMs: 30_000, maxRetryAfterMs: 600_000 };

/** Something worth logging about a request's retries. */
export type GraphRetryEvent =
  | { kind: 'throttled'; url: string; status: number; waitMs: number; attempt: number }
  | { kind: 'retry'; url: string; status: number | null; reason: string; waitMs: number; attempt: number };

export interface RetryDeps {
  policy: RetryPolicy;
  stats: SourceStats;
  sleep: (ms: number) => Promise<void>;
  /** Uniform in [0, 1). */
  random: () => number;
  /** Epoch milliseconds, for `Retry-After` dates. */
  now: () => number;
  onEvent?: (event: GraphRetryEvent) => void;
}

const RETRY_AFTER_STATUSES = new Set([429, 503, 504]);

/**
 * Per-request middleware option: this request's own retries and throttle waits, for its
 * telemetry span (the client-wide `stats` add up every request).
 */
export class RequestRetries implements MiddlewareOptions {
  retries = 0;
  throttleWaits = 0;
  throttleWaitMs = 0;
  /** Attempts answered 429, the last one included. */
  throttled429 = 0;
}

/** How long `Retry-After` asks us to wait, in ms, or undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** The backoff before retry number `retry` (0-based). */
export function backoffDelay(policy: RetryPolicy, retry: number, random: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.round(ceiling * (0.5 + 0.5 * random));
}

export type RetryDecision = { retry: false } | { retry: true; waitMs: number; throttled: boolean; reason: string };
type Decision = RetryDecision;

/**
 * The policy's answer for one HTTP response: a plain request's (RetryHandler) or a `$batch`
 * member's (batch.ts), so both wait and give up alike. `attempt` is 0-based; `body` is the
 * parsed JSON (an error body gives the Graph code), `retryAfter` the header as sent.
 */
export function decideRetry(
  deps: Pick<RetryDeps, 'policy' | 'random' | 'now'>,
  response: { status: number; retryAfter: string | null; body: unknown },
  attempt: number,
): RetryDecision {
  const status = response.status;
  if (status < 400 || attempt >= deps.policy.maxRetries) return { retry: false };
  if (status !== 429 && status < 500) return { retry: false };
  // A mailbox that is not enabled for REST, or denied, will not get better by retrying.
  const graphCode = readGraphError(status, response.body).graphCode;
  if (isNonRetryableGraphCode(graphCode)) return { retry: false };
  const retryAfter = RETRY_AFTER_STATUSES.has(status) ? parseRetryAfter(response.retryAfter, deps.now()) : undefined;
  if (retryAfter !== undefined) {
    return { retry: true, waitMs: Math.min(retryAfter, deps.policy.maxRetryAfterMs), throttled: true, reason: `HTTP ${status} ${graphCode}` };
  }
  return { retry: true, waitMs: backoffDelay(deps.policy, attempt, deps.random()), throttled: false, reason: `HTTP ${status} ${graphCode}` };
}

export class RetryHandler implements Middleware {
  private next?: Middleware;

  constructor(private readonly deps: RetryDeps) {}

  setNext(next: Middleware): void {
    this.next = next;
  }

  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    const own = context.middlewareControl?.getMiddlewareOptions(RequestRetries) as RequestRetries | undefined;
    for (let attempt = 0; ; attempt += 1) {
      let decision: Decision;
      try {
        await this.next!.execute(context);
        if (own && context.response?.status === 429) own.throttled429 += 1;
        decision = await this.decideOnResponse(context.response!, attempt);
      } catch (error) {
        decision = this.decideOnError(error, attempt);
        if (!decision.retry) throw error;
      }
      if (!decision.retry) return;
      this.deps.stats.retries += 1;
      if (own) own.retries += 1;
      if (decision.throttled) {
        this.deps.stats.throttleWaits += 1;
        this.deps.stats.throttleWaitMs += decision.waitMs;
        if (own) {
          own.throttleWaits += 1;
          own.throttleWaitMs += decision.waitMs;
        }
        this.deps.onEvent?.({ kind: 'throttled', url, status: context.response!.status, waitMs: decision.waitMs, attempt: attempt + 1 });
      } else {
        const status = context.response?.status ?? null;
        this.deps.onEvent?.({ kind: 'retry', url, status, reason: decision.reason, waitMs: decision.waitMs, attempt: attempt + 1 });
      }
      context.response = undefined;
      await this.deps.sleep(decision.waitMs);
    }
  }

  private async decideOnResponse(response: Response, attempt: number): Promise<Decision> {
    const status = response.status;
    if (status < 400 || attempt >= this.deps.policy.maxRetries) return { retry: false };
    if (status !== 429 && status < 500) return { retry: false };
    const body: unknown = await response.clone().json().catch(() => undefined);
    return decideRetry(this.deps, { status, retryAfter: response.headers.get('retry-after'), body }, attempt);
  }

  private decideOnError(error: unknown, attempt: number): Decision {
    const code = networkErrorCode(error);
    if (code === undefined || attempt >= this.deps.policy.maxRetries) return { retry: false };
    return { retry: true, waitMs: this.backoff(attempt), throttled: false, reason: code };
  }

  private backoff(attempt: number): number {
    return backoffDelay(this.deps.policy, attempt, this.deps.random());
  }
}
