/**
 * The one configured client for the Rapport REST API (docs/api.md). It attaches the Teams SSO
 * token when the tab runs inside Teams, sends and parses JSON, and turns the API's
 * `{ error: { code, message } }` bodies into `ApiError`s that the UI maps to user messages.
 */
import type { Messages } from '../i18n/en-US';

export type TokenProvider = () => Promise<string | null>;

let tokenProvider: TokenProvider | null = null;

/** Installed once by the app root when Teams SSO is available; `null` in browser/demo mode. */
export function setTokenProvider(provider: TokenProvider | null): void {
  tokenProvider = provider;
}

export class ApiError extends Error {
  readonly code: string;
  readonly status: number;
  readonly details?: Record<string, unknown>;

  constructor(status: number, code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    if (details !== undefined) this.details = details;
  }
}

export type QueryValue = string | number | boolean | null | undefined;

/** Builds `/api/...?...`, leaving out empty values. */
export function apiUrl(path: string, query?: Record<string, QueryValue>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined || value === null || value === '') continue;
    params.set(key, String(value));
  }
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'DELETE';
  query?: Record<string, QueryValue>;
  /** Sent as JSON unless `contentType` says otherwise; a Blob/File is sent as is. */
  body?: unknown;
  contentType?: string;
  signal?: AbortSignal;
}

async function authHeaders(): Promise<Record<string, string>> {
  if (!tokenProvider) return {};
  let token: string | null;
  try {
    token = await tokenProvider();
  } catch (cause) {
    // Teams could not issue an SSO token (consent to the tab's scope missing, SSO not set up).
    throw new ApiError(401, 'UNAUTHENTICATED', cause instanceof Error ? cause.message : String(cause));
  }
  return token ? { Authorization: `Bearer ${token}` } : {};
}

/** Calls the API and returns the parsed JSON body (undefined for 204). Throws `ApiError`. */
export async function apiRequest<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json', ...(await authHeaders()) };
  let body: BodyInit | undefined;
  if (options.body !== undefined) {
    const isJson = !options.contentType || options.contentType === 'application/json';
    headers['Content-Type'] = options.contentType ?? 'application/json';
    // Files go as they are, so the browser streams them instead of building a string.
    if (typeof Blob !== 'undefined' && options.body instanceof Blob) body = options.body;
    else body = isJson ? JSON.stringify(options.body) : String(options.body);
  }
  let response: Response;
  try {
    response = await fetch(apiUrl(path, options.query), {
      method: options.method ?? 'GET',
      headers,
      body,
      signal: options.signal,
    });
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError(0, 'NETWORK', 'The Rapport service could not be reached.');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  const parsed: unknown = text ? safeJson(text) : undefined;
  if (!response.ok) {
    const err = (parsed as Partial<{ error: { code?: string; message?: string; details?: Record<string, unknown> } }>)?.error;
    throw new ApiError(response.status, err?.code ?? `HTTP_${response.status}`, err?.message ?? response.statusText ?? '', err?.details);
  }
  return parsed as T;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** What the UI shows for an error: a localised title for the code, and the API's own message. */
export interface UserMessage {
  title: string;
  detail: string | null;
}

export function userMessage(error: unknown, messages: Messages): UserMessage {
  if (!(error instanceof ApiError)) {
    return { title: messages.errors.generic, detail: error instanceof Error ? error.message : null };
  }
  const known = (messages.errors.codes as Record<string, string>)[error.code];
  const title = known ?? (error.status >= 500 ? messages.errors.server : messages.errors.generic);
  const detail = error.message && error.message !== title ? error.message : null;
  return { title, detail };
}
