/**
 * A failed call to the Bot Connector, as the fan-out needs it: the installation is gone, the
 * service throttles (and for how long), or it failed. The Teams SDK's HTTP client is axios and
 * rejects with the response attached; it has no Retry-After handling of its own, so the parser
 * stays here.
 */
import type { SendOutcome } from '../conversation';

interface HttpFailure {
  response?: { status?: unknown; data?: unknown; headers?: unknown };
  message?: unknown;
}

function headerOf(headers: unknown, name: string): unknown {
  if (!headers || typeof headers !== 'object') return undefined;
  const get = (headers as { get?: unknown }).get;
  if (typeof get === 'function') return (get as (n: string) => unknown).call(headers, name);
  const entry = Object.entries(headers).find(([key]) => key.toLowerCase() === name);
  return entry?.[1];
}

export function classifySendError(e: unknown): SendOutcome {
  const response = (e as HttpFailure | null)?.response;
  const status = typeof response?.status === 'number' ? response.status : null;
  if (status === null) {
    const message = (e as HttpFailure | null)?.message;
    return { ok: false, reason: 'failed', status: null, message: typeof message === 'string' ? message : String(e) };
  }
  const data = response?.data as { error?: { code?: unknown } } | undefined;
  const code = typeof data?.error?.code === 'string' ? data.error.code : '';
  if ((status === 403 && code === 'BotNotInConversationRoster') || (status === 404 && code === 'ConversationNotFound')) {
    return { ok: false, reason: 'gone', status, code };
  }
  const retryAfterMs = parseRetryAfter(headerOf(response?.headers, 'retry-after'));
  if (status === 429 || (status === 503 && retryAfterMs !== null)) return { ok: false, reason: 'throttled', status, retryAfterMs };
  return { ok: false, reason: 'failed', status, message: `The Bot Framework connector answered ${status}${code ? ` ${code}` : ''}` };
}

/** Retry-After is either seconds or an HTTP date. */
export function parseRetryAfter(value: unknown, now: number = Date.now()): number | null {
  if (typeof value !== 'string' || value.trim() === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
