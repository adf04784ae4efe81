/**
 * Fakes the Rapport API at the HTTP level: a table of `"METHOD /path"` handlers installed on
 * globalThis.fetch for one test. Path segments like `:id` match anything. A request that no
 * handler answers fails the test (see setup-tests.ts).
 */
export interface FakeRequest {
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  headers: Record<string, string>;
  /** Parsed JSON when the body is JSON; the raw body otherwise. */
  body: unknown;
}

export interface FakeReply {
  status: number;
  body?: unknown;
  text?: string;
}

export type Handler = (request: FakeRequest) => FakeReply | Promise<FakeReply>;

const REPLY = Symbol('fake reply');

/** A reply; as a table value it is answered as is, a plain object is answered as 200 JSON. */
export function json(body: unknown, status = 200): FakeReply {
  return { status, body, [REPLY]: true } as FakeReply;
}
export function apiError(status: number, code: string, message: string): FakeReply {
  return json({ error: { code, message } }, status);
}
function isReply(value: object): value is FakeReply {
  return REPLY in value;
}

interface Installed {
  calls: FakeRequest[];
  unhandled: string[];
}
let installed: Installed | null = null;

function match(pattern: string, path: string): Record<string, string> | null {
  const a = pattern.split('/');
  const b = path.split('/');
  if (a.length !== b.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < a.length; i++) {
    const p = a[i] as string;
    const v = b[i] as string;
    if (p.startsWith(':')) params[p.slice(1)] = decodeURIComponent(v);
    else if (p !== v) return null;
  }
  return params;
}

/** Handlers may be functions, replies (`json`, `apiError`), or plain values answered as 200 JSON. */
export function installFakeApi(routes: Record<string, Handler | object>): Installed {
  const state: Installed = { calls: [], unhandled: [] };
  installed = state;
  const table = Object.entries(routes).map(([key, handler]) => {
    const [method, pattern] = key.split(' ') as [string, string];
    const answer: Handler =
      typeof handler === 'function' ? (handler as Handler) : isReply(handler) ? () => handler : () => json(handler);
    return { method, pattern, handler: answer };
  });

  globalThis.fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), 'http://localhost');
    const method = (init?.method ?? 'GET').toUpperCase();
    const headers = { ...((init?.headers as Record<string, string>) ?? {}) };
    let body: unknown = init?.body;
    if (typeof body === 'string' && headers['Content-Type'] === 'application/json') body = JSON.parse(body);
    for (const route of table) {
      if (route.method !== method) continue;
      const params = match(route.pattern, url.pathname);
      if (!params) continue;
      const request: FakeRequest = { method, path: url.pathname, params, query: url.searchParams, headers, body };
      state.calls.push(request);
      const reply = await route.handler(request);
      const text = reply.text ?? (reply.body === undefined ? '' : JSON.stringify(reply.body));
      return {
        ok: reply.status >= 200 && reply.status < 300,
        status: reply.status,
        statusText: String(reply.status),
        headers: { get: () => 'application/json' },
        text: async () => text,
        json: async () => JSON.parse(text),
      } as unknown as Response;
    }
    state.unhandled.push(`${method} ${url.pathname}${url.search}`);
    throw new TypeError(`Unhandled request in test: ${method} ${url.pathname}`);
  }) as typeof fetch;
  return state;
}

/** After a test, late requests (debounced previews, unmounting effects) just never answer. */
export function uninstallFakeApi(): void {
  installed = null;
  globalThis.fetch = (() => new Promise<Response>(() => undefined)) as typeof fetch;
}

export function assertNoUnhandledRequests(): void {
  if (installed && installed.unhandled.length > 0) {
    throw new Error(`The test made requests no handler answered:\n${installed.unhandled.join('\n')}`);
  }
}
