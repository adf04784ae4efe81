/**
 * The telemetry port. Services, the enrichment and the Graph client record spans and metrics
 * through `telemetry()`, never through OpenTelemetry directly: without
 * APPLICATIONINSIGHTS_CONNECTION_STRING the no-op implementation stays installed and costs a
 * function call. The composition root installs the Azure Monitor one (azure-monitor.ts) once,
 * before anything runs, the way OpenTelemetry's own global provider works.
 *
 * Privacy (DESIGN §8, issue 15): attributes carry counts, codes, statuses and durations only.
 * A mailbox is named by `mailboxRef` (a salted hash), never by its id or address; no message
 * content, subject, address or URL is ever an attribute.
 */
import { createHash, randomBytes } from 'node:crypto';

/** Span names, one per kind of work an operator asks about. */
export const SPAN = {
  run: 'rapport.run',
  mailbox: 'rapport.mailbox.collect',
  graphRequest: 'rapport.graph.request',
  botTurn: 'rapport.bot.turn',
  proactiveSend: 'rapport.bot.proactive_send',
} as const;

export type Attributes = Record<string, string | number | boolean>;

/** The live span a `span` callback gets: attributes set while the work goes on. */
export interface SpanScope {
  set(attributes: Attributes): void;
}

/** One Graph request as the client reports it once it has ended (retries included). */
export interface GraphRequestRecord {
  status: number | null;
  retries: number;
  throttleWaitMs: number;
  /** Responses that asked us to wait (429/503/504 with Retry-After). */
  throttleWaits: number;
  /** Responses with status 429, retried ones included. */
  throttled429: number;
  /** A collection page (`value` array) was returned. */
  page: boolean;
}

export interface RunRecord {
  /** `stopped`: cancelled, or suspended by a shutdown to resume at the next start. */
  status: 'succeeded' | 'partial' | 'failed' | 'stopped';
  durationMs: number;
  mailboxes: number;
  failedMailboxes: number;
}

export interface Telemetry {
  /** Runs `fn` inside a span named `name`; a rejection marks the span failed (its code only) and is rethrown. */
  span<T>(name: string, attributes: Attributes, fn: (span: SpanScope) => Promise<T>): Promise<T>;
  /** Metrics of one Graph request: pages, throttling, retries. */
  graphRequest(record: GraphRequestRecord): void;
  /** Metrics of one ended enrichment run: duration, failed mailboxes. */
  runEnded(record: RunRecord): void;
  /** The active trace and span ids, for log correlation; null outside a span. */
  correlation(): { trace_id: string; span_id: string } | null;
  /** Flushes and stops exporting (graceful shutdown). */
  shutdown(): Promise<void>;
}

export const noTelemetry: Telemetry = {
  span: (_name, _attributes, fn) => fn({ set: () => {} }),
  graphRequest: () => {},
  runEnded: () => {},
  correlation: () => null,
  shutdown: async () => {},
};

let installed: Telemetry = noTelemetry;

/** The process's telemetry: the no-op one until the composition root installs another. */
export function telemetry(): Telemetry {
  return installed;
}

/** Installs `t` for the whole process; returns the function that puts the previous one back (tests). */
export function installTelemetry(t: Telemetry): () => void {
  const previous = installed;
  installed = t;
  return () => {
    installed = previous;
  };
}

// Per process: a mailbox's reference is stable within one process's traces (enough to follow one
// mailbox through a run) and cannot be reversed into its id by anyone who reads the telemetry.
const salt = randomBytes(16);

/** A mailbox (or any identifier) as telemetry names it: 16 hex characters of a salted SHA-256. */
export function mailboxRef(id: string): string {
  return createHash('sha256').update(salt).update(id).digest('hex').slice(0, 16);
}

/** The code an error carries (an AppError's or Graph's), never its message: messages may quote addresses. */
export function errorCodeOf(e: unknown): string {
  if (e && typeof e === 'object') {
    const details = (e as { details?: { graphCode?: unknown } }).details;
    if (typeof details?.graphCode === 'string') return details.graphCode;
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    if ((e as { name?: unknown }).name === 'AbortError') return 'ABORTED';
  }
  return 'INTERNAL';
}
