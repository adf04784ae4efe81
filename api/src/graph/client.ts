/**
 * The Graph client: `@microsoft/microsoft-graph-client`'s `Client.initWithMiddleware` with a
 * middleware chain of our own. What we verified in graph-client 3.0.7, and why the chain is ours:
 *
 * - **Tokens on custom hosts.** The library's AuthenticationHandler attaches the token only when
 *   the URL starts with `https://` and its hostname (port stripped) is a Graph host or in
 *   `customHosts` (GraphRequestUtil.isValidEndpoint). An `http://127.0.0.1:<port>` simulator
 *   never matches, so no token would be sent. `BearerTokenHandler` attaches the token when the
 *   request's origin (scheme, host and port) equals the base URL's origin, and to nothing else.
 *   `customHosts` is still set to the base URL's hostname for any library handler that reads it.
 * - **nextLink verbatim.** `client.api(url)` re-parses absolute URLs (GraphRequest.parsePath):
 *   only `https://` is recognised (an http nextLink becomes `<base>/v1.0/http://...`), and the
 *   query is split and re-assembled (order changes, repeated keys collapse). So every request
 *   carries its exact URL in an `ExactUrl` middleware option and `RequestScopeHandler` puts it
 *   back as the request URL. URLs we build ourselves are percent-encoded by `buildUrl`.
 * - **Errors.** GraphRequest converts anything a middleware throws into a GraphError and keeps
 *   only its message; `ExactUrl` carries the original failure back to `GraphClient.get`.
 * - **Retries.** See retry.ts.
 *
 * Chain: RequestScopeHandler → RetryHandler → BearerTokenHandler → FetchHandler. The token is
 * fetched per attempt (from the credential's cache), and only real HTTP attempts are counted.
 */
import { Client, type Context, type Middleware, type MiddlewareOptions, ResponseType } from '@microsoft/microsoft-graph-client';
import type { TokenCredential } from '@azure/identity';
import type { SourceStats } from '../enrichment/ports';
import { AppError } from '../errors';
import { graphScope } from './credentials';
import { errorFromNetwork, errorFromResponse, readGraphError } from './graph-errors';
import { DEFAULT_RETRY_POLICY, type GraphRetryEvent, RequestRetries, RetryHandler, type RetryDecision, type RetryPolicy } from './retry';
import { SPAN, telemetry } from '../telemetry/telemetry';

export const DEFAULT_GRAPH_BASE_URL = 'https://graph.microsoft.com/v1.0';

export interface GraphClientOptions {
  credential: TokenCredential;
  /** Graph root including the version; national clouds and the simulator differ. @default https://graph.microsoft.com/v1.0 */
  baseUrl?: string;
  /** Token scopes. @default [`${origin of baseUrl}/.default`] */
  scopes?: string[];
  /** Overrides of the retry policy (retry.ts). */
  retry?: Partial<RetryPolicy>;
  /** Abort an attempt that has not completed after this long; it is retried like a dropped connection. @default 120000 */
  attemptTimeoutMs?: number;
  /** @default a setTimeout promise */
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source, uniform in [0, 1). @default Math.random */
  random?: () => number;
  /** Epoch milliseconds, for Retry-After dates. @default Date.now */
  now?: () => number;
  /** @default globalThis.fetch */
  fetch?: typeof fetch;
  /** Called on every retry and throttle wait. */
  onRetry?: (event: GraphRetryEvent) => void;
}

/** Query parameters for `buildUrl`; undefined values are left out. */
export type QueryParams = Record<string, string | number | undefined>;

export class GraphClient {
  readonly baseUrl: string;
  readonly origin: string;
  /** The Graph host (no path, no query): the one part of a request's URL telemetry may show. */
  private readonly host: string;
  private readonly sdk: Client;
  private readonly counters: SourceStats = { requests: 0, throttleWaits: 0, throttleWaitMs: 0, retries: 0 };
  /** The retry policy and its clocks, as `$batch` members need them (batch.ts). */
  readonly memberRetry: MemberRetry;

  constructor(options: GraphClientOptions) {
    this.baseUrl = (options.baseUrl ?? DEFAULT_GRAPH_BASE_URL).replace(/\/+$/, '');
    const base = parseBaseUrl(this.baseUrl);
    this.origin = base.origin;
    this.host = base.host;
    const scopes = options.scopes ?? [graphScope(this.baseUrl)];
    const retryDeps = {
      policy: { ...DEFAULT_RETRY_POLICY, ...options.retry },
      stats: this.counters,
      sleep: options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))),
      random: options.random ?? Math.random,
      now: options.now ?? Date.now,
      ...(options.onRetry ? { onEvent: options.onRetry } : {}),
    };
    this.memberRetry = {
      policy: retryDeps.policy,
      sleep: retryDeps.sleep,
      random: retryDeps.random,
      now: retryDeps.now,
      // Counted like a request's own retry, so a run's retry and throttle figures include members.
      record: (url, status, decision, attempt) => {
        this.counters.retries += 1;
        if (decision.throttled) {
          this.counters.throttleWaits += 1;
          this.counters.throttleWaitMs += decision.waitMs;
          options.onRetry?.({ kind: 'throttled', url, status, waitMs: decision.waitMs, attempt });
        } else {
          options.onRetry?.({ kind: 'retry', url, status, reason: decision.reason, waitMs: decision.waitMs, attempt });
        }
      },
    };
    const middleware: Middleware[] = [
      new RequestScopeHandler(),
      new RetryHandler(retryDeps),
      new BearerTokenHandler(options.credential, scopes, this.origin),
      new FetchHandler(options.fetch ?? ((input, init) => fetch(input, init)), options.attemptTimeoutMs ?? 120_000, this.counters),
    ];
    this.sdk = Client.initWithMiddleware({ middleware, baseUrl: this.baseUrl, customHosts: new Set([base.hostname]) });
  }

  /** Counters since creation: HTTP attempts, throttle waits, retries. */
  stats(): SourceStats {
    return { ...this.counters };
  }

  /**
   * `path` (e.g. `/users/{id}/messages`) under the base URL, with `query` percent-encoded.
   * `$`, `,`, `:`, `@` and `'` stay readable; spaces become %20 and `+` becomes %2B.
   */
  buildUrl(path: string, query: QueryParams = {}): string {
    const parts = Object.entries(query)
      .filter((entry): entry is [string, string | number] => entry[1] !== undefined)
      .map(([k, v]) => `${encodeQuery(k)}=${encodeQuery(String(v))}`);
    return `${this.baseUrl}/${path.replace(/^\/+/, '')}${parts.length ? `?${parts.join('&')}` : ''}`;
  }

  /**
   * GETs `url` exactly as given (an absolute URL, e.g. an `@odata.nextLink`, or a path under
   * the base URL) and returns the parsed JSON. Failures, after retries, are AppErrors whose
   * details carry `graphCode` and `status` (graph-errors.ts).
   */
  async get(url: string, headers: Record<string, string> = {}): Promise<unknown> {
    return this.request('GET', url, headers, undefined);
  }

  /**
   * POSTs `body` as JSON to `url` (a path under the base URL) and returns the parsed JSON: the
   * `$batch` envelope (batch.ts). The envelope itself is retried like any request.
   */
  async postJson(url: string, body: unknown): Promise<unknown> {
    return this.request('POST', url, { 'Content-Type': 'application/json' }, JSON.stringify(body));
  }

  private async request(method: 'GET' | 'POST', url: string, headers: Record<string, string>, payload: string | undefined): Promise<unknown> {
    // One span per request, retries included; the URL is never an attribute (it names mailboxes).
    return telemetry().span(SPAN.graphRequest, { 'http.request.method': method, 'server.address': this.host }, async (span) => {
      const retries = new RequestRetries();
      const seen: { status: number | null } = { status: null };
      let page = false;
      try {
        const body = await this.send(url, headers, retries, (s) => (seen.status = s), payload);
        page = typeof body === 'object' && body !== null && Array.isArray((body as { value?: unknown }).value);
        return body;
      } finally {
        const { status } = seen;
        const record = { status, retries: retries.retries, throttleWaitMs: retries.throttleWaitMs, throttleWaits: retries.throttleWaits, throttled429: retries.throttled429, page };
        span.set({
          ...(status === null ? {} : { 'http.response.status_code': status }),
          'rapport.graph.retry_count': record.retries,
          'rapport.graph.throttle_wait_ms': record.throttleWaitMs,
          'rapport.graph.throttled_429': record.throttled429,
        });
        telemetry().graphRequest(record);
      }
    });
  }

  private async send(url: string, headers: Record<string, string>, retries: RequestRetries, onStatus: (status: number) => void, payload?: string): Promise<unknown> {
    const exact = /^https?:\/\//i.test(url) ? url : `${this.baseUrl}/${url.replace(/^\/+/, '')}`;
    const scope = new ExactUrl(exact);
    let request = this.sdk.api(exact).middlewareOptions([scope, retries]).responseType(ResponseType.RAW);
    for (const [name, value] of Object.entries(headers)) request = request.header(name, value);
    let response: Response;
    try {
      response = (await (payload === undefined ? request.get() : request.post(payload))) as Response;
    } catch (error) {
      throw errorFromNetwork(scope.failure ?? error);
    }
    onStatus(response.status);
    const text = await response.text();
    const body = parseJson(text);
    if (!response.ok) throw errorFromResponse(readGraphError(response.status, body));
    if (body === undefined) {
      throw new AppError('GRAPH_REQUEST_FAILED', `Microsoft Graph answered ${response.status} without a JSON body.`, {
        graphCode: 'InvalidResponseBody',
        status: response.status,
      });
    }
    return body;
  }
}

/** What batch.ts needs to retry a `$batch` member by the client's policy. */
export interface MemberRetry {
  policy: RetryPolicy;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  now: () => number;
  /** Counts a member's retry (and throttle wait) in the client's stats, and reports it. */
  record: (url: string, status: number, decision: Extract<RetryDecision, { retry: true }>, attempt: number) => void;
}

/** Builds the Graph client for `options` (see GraphClientOptions). */
export function createGraphClient(options: GraphClientOptions): GraphClient {
  return new GraphClient(options);
}

/** Per-request option: the exact URL to send, and the failure to report back. */
export class ExactUrl implements MiddlewareOptions {
  failure?: unknown;
  constructor(readonly url: string) {}
}

class RequestScopeHandler implements Middleware {
  private next?: Middleware;
  setNext(next: Middleware): void {
    this.next = next;
  }
  async execute(context: Context): Promise<void> {
    const scope = context.middlewareControl?.getMiddlewareOptions(ExactUrl) as ExactUrl | undefined;
    if (scope) context.request = scope.url;
    try {
      await this.next!.execute(context);
    } catch (error) {
      if (scope) scope.failure = error;
      throw error;
    }
  }
}

class BearerTokenHandler implements Middleware {
  private next?: Middleware;
  constructor(
    private readonly credential: TokenCredential,
    private readonly scopes: string[],
    private readonly origin: string,
  ) {}
  setNext(next: Middleware): void {
    this.next = next;
  }
  async execute(context: Context): Promise<void> {
    const url = typeof context.request === 'string' ? context.request : context.request.url;
    const headers = new Headers(context.options?.headers as ConstructorParameters<typeof Headers>[0]);
    if (originOf(url) === this.origin) {
      const token = await this.credential.getToken(this.scopes);
      if (!token) throw new AppError('GRAPH_ACCESS_DENIED', 'No access token could be obtained for Microsoft Graph.', { graphCode: 'NoToken', status: null });
      headers.set('authorization', `Bearer ${token.token}`);
    } else {
      // Never send our token to another origin, whatever a nextLink says.
      headers.delete('authorization');
    }
    context.options = { ...context.options, headers: Object.fromEntries(headers.entries()) };
    await this.next!.execute(context);
  }
}

/** The innermost handler: one HTTP attempt, counted, with its body read in full. */
class FetchHandler implements Middleware {
  constructor(
    private readonly fetchImpl: typeof fetch,
    private readonly timeoutMs: number,
    private readonly stats: SourceStats,
  ) {}
  async execute(context: Context): Promise<void> {
    this.stats.requests += 1;
    const signal = AbortSignal.timeout(this.timeoutMs);
    const response = await this.fetchImpl(context.request, { ...(context.options as RequestInit), signal });
    // Read the body here, so that a connection dropped mid-body fails this attempt (and is retried).
    const body = await response.arrayBuffer();
    const nullBody = [101, 204, 205, 304].includes(response.status);
    context.response = new Response(nullBody ? null : body, { status: response.status, statusText: response.statusText, headers: response.headers });
  }
}

function encodeQuery(s: string): string {
  return encodeURIComponent(s).replace(/%24/g, '$').replace(/%2C/g, ',').replace(/%3A/g, ':').replace(/%40/g, '@');
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function originOf(url: string): string | undefined {
  try {
    return new URL(url).origin;
  } catch {
    return undefined;
  }
}

function parseBaseUrl(baseUrl: string): URL {
  try {
    return new URL(baseUrl);
  } catch {
    throw new AppError('CONFIG_INVALID', `The Graph base URL is not a valid URL: ${baseUrl}`, { baseUrl });
  }
}
