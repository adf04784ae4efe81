/**
 * Classification of Graph failures into Rapport's AppError codes (DESIGN.md §5).
 *
 * Every Graph failure that leaves `graph/` is an AppError whose details carry the Graph error
 * code (`graphCode`) and the HTTP status (`status`, null when no response came back). Failures
 * on behalf of a mailbox also name the mailbox, so the orchestrator can isolate it.
 */
import { AppError, type ErrorCode, isAppError } from '../errors';
import type { SelectedMailbox } from '../engagement/types';

/** Graph error codes that say "this mailbox cannot be read": never retried, reported per mailbox. */
export const MAILBOX_UNAVAILABLE_CODES: ReadonlySet<string> = new Set(['MailboxNotEnabledForRESTAPI', 'MailboxNotSupportedForRESTAPI']);
/** Graph error codes that deny access: never retried. */
export const ACCESS_DENIED_CODES: ReadonlySet<string> = new Set([
  'ErrorAccessDenied',
  'AccessDenied',
  'Authorization_RequestDenied',
  'InvalidAuthenticationToken',
]);

/** True for a Graph error code that must never be retried, whatever the status. */
export function isNonRetryableGraphCode(graphCode: string | undefined): boolean {
  return graphCode !== undefined && (MAILBOX_UNAVAILABLE_CODES.has(graphCode) || ACCESS_DENIED_CODES.has(graphCode));
}

export interface GraphErrorInfo {
  graphCode: string;
  status: number | null;
  message?: string;
  requestId?: string;
}

/** Reads Graph's error JSON: `{ "error": { "code", "message", "innerError": { "request-id" } } }`. */
export function readGraphError(status: number, body: unknown): GraphErrorInfo {
  const error = isRecord(body) && isRecord(body.error) ? body.error : undefined;
  const inner = error && isRecord(error.innerError) ? error.innerError : undefined;
  const info: GraphErrorInfo = { graphCode: typeof error?.code === 'string' && error.code ? error.code : `HTTP${status}`, status };
  if (typeof error?.message === 'string') info.message = error.message;
  const requestId = inner?.['request-id'] ?? inner?.requestId;
  if (typeof requestId === 'string') info.requestId = requestId;
  return info;
}

/** The AppError for a Graph response that failed (after any retries). */
export function errorFromResponse(info: GraphErrorInfo): AppError {
  const code = appCodeFor(info);
  const suffix = info.message ? `: ${info.message}` : '';
  return new AppError(code, `Microsoft Graph answered ${info.status} ${info.graphCode}${suffix}`, detailsOf(info));
}

/** The AppError for a request that got no response: dropped connections, timeouts, DNS. */
export function errorFromNetwork(cause: unknown): AppError {
  if (isAppError(cause)) return cause;
  const graphCode = networkErrorCode(cause) ?? 'NetworkError';
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new AppError('GRAPH_REQUEST_FAILED', `Microsoft Graph could not be reached (${graphCode}): ${reason}`, { graphCode, status: null }, cause);
}

/**
 * Re-raises a failure on behalf of `mailbox`: the message names the mailbox and the details
 * gain `mailbox`/`mailboxId`, keeping the Graph code, the status and the cause.
 */
export function forMailbox(error: unknown, mailbox: SelectedMailbox): AppError {
  const base = isAppError(error) ? error : errorFromNetwork(error);
  if (base.details?.mailboxId === mailbox.id) return base;
  const details: Record<string, unknown> = { ...base.details, mailbox: mailbox.mail, mailboxId: mailbox.id };
  const graphCode = typeof details.graphCode === 'string' ? details.graphCode : 'unknown';
  const what =
    base.code === 'GRAPH_MAILBOX_UNAVAILABLE'
      ? 'cannot be read through Microsoft Graph'
      : base.code === 'GRAPH_ACCESS_DENIED'
        ? 'is not accessible: Microsoft Graph denied access'
        : 'could not be read';
  return new AppError(base.code, `Mailbox ${mailbox.mail} ${what} (${graphCode}). ${base.message}`, details, base);
}

/** The Graph code of an AppError raised here, if any. */
export function graphCodeOf(error: unknown): string | undefined {
  const code = isAppError(error) ? error.details?.graphCode : undefined;
  return typeof code === 'string' ? code : undefined;
}

/** The HTTP status of an AppError raised here, if any. */
export function graphStatusOf(error: unknown): number | undefined {
  const status = isAppError(error) ? error.details?.status : undefined;
  return typeof status === 'number' ? status : undefined;
}

/** The code of a network-level failure (ECONNRESET, UND_ERR_SOCKET, TimeoutError...), or undefined. */
export function networkErrorCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; isRecord(e) && depth < 5; e = e.cause, depth += 1) {
    if (typeof e.code === 'string' && /^(E[A-Z]+|UND_ERR_[A-Z_]+)$/.test(e.code)) return e.code;
    if (e.name === 'TimeoutError' || e.name === 'AbortError') return e.name;
    if (typeof e.message === 'string' && /socket hang up/i.test(e.message)) return 'ECONNRESET';
  }
  // Node's fetch reports a refused, reset or dropped connection as TypeError "fetch failed"
  // (or "terminated" when the body was cut off), with the socket error as its cause.
  if (error instanceof TypeError && /^(fetch failed|terminated)$/.test(error.message)) return 'NetworkError';
  return undefined;
}

function appCodeFor(info: GraphErrorInfo): ErrorCode {
  if (MAILBOX_UNAVAILABLE_CODES.has(info.graphCode)) return 'GRAPH_MAILBOX_UNAVAILABLE';
  if (ACCESS_DENIED_CODES.has(info.graphCode) || info.status === 401 || info.status === 403) return 'GRAPH_ACCESS_DENIED';
  return 'GRAPH_REQUEST_FAILED';
}

function detailsOf(info: GraphErrorInfo): Record<string, unknown> {
  return { graphCode: info.graphCode, status: info.status, ...(info.requestId ? { requestId: info.requestId } : {}) };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object';
}
