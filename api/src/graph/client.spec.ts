import { AppError } from '../errors';
import { type Stub, type StubHandler, graphError, json, recordingSleep, startStub, staticCredential } from './__tests__/stub-graph';
import { type GraphClientOptions, createGraphClient } from './client';
import type { GraphRetryEvent } from './retry';

describe('GraphClient', () => {
  let stub: Stub;
  let handler: StubHandler;
  beforeEach(async () => {
    handler = (_req, res) => json(res, 200, { value: [] });
    stub = await startStub((req, res) => handler(req, res));
  });
  afterEach(() => stub.close());

  function client(overrides: Partial<GraphClientOptions> = {}) {
    const sleep = recordingSleep();
    const events: GraphRetryEvent[] = [];
    const c = createGraphClient({ credential: staticCredential(), baseUrl: stub.baseUrl, sleep, random: () => 1, onRetry: (e) => events.push(e), ...overrides });
    return { c, sleep, events };
  }

  /** Answers with `responses` in turn (then 200), each a status with optional headers and Graph code. */
  function sequence(...responses: Array<{ status: number; code?: string; headers?: Record<string, string> } | 'drop' | 'dropMidBody'>) {
    let i = 0;
    handler = (_req, res) => {
      const r = responses[i++];
      if (r === undefined) return json(res, 200, { value: [{ id: 'ok' }] });
      if (r === 'drop') return void res.socket?.destroy();
      if (r === 'dropMidBody') {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '1000' });
        res.write('{"value": [');
        setTimeout(() => res.socket?.destroy(), 10);
        return;
      }
      graphError(res, r.status, r.code ?? `Code${r.status}`, r.headers);
    };
  }

  describe('tokens', () => {
    it('when the base URL is an http 127.0.0.1 custom host, then the bearer token is attached', async () => {
      const { c } = client();
      await c.get('/users');
      expect(stub.requests[0]!.headers.authorization).toBe('Bearer test-token');
    });

    it('when a link points at another origin, then the token is not sent there', async () => {
      const other = await startStub((_req, res) => json(res, 200, { value: [] }));
      try {
        await client().c.get(`${other.origin}/v1.0/users`);
        expect(other.requests[0]!.headers.authorization).toBeUndefined();
      } finally {
        await other.close();
      }
    });
  });

  describe('URLs', () => {
    it('when a nextLink-style absolute URL is given, then it is requested verbatim (order, repeats and encoding kept)', async () => {
      const link = `${stub.baseUrl}/users/u1/messages?%24skiptoken=a%3D%3D&$top=10&b=1&b=2&$select=id,from`;
      await client().c.get(link);
      expect(stub.origin + stub.requests[0]!.url).toBe(link);
    });

    it('when a URL is built, then values are percent-encoded so + and spaces survive', () => {
      const url = client().c.buildUrl('/users', { $filter: "mail eq 'a+b@x.com'", $top: 5, skip: undefined });
      expect(url).toBe(`${stub.baseUrl}/users?$filter=mail%20eq%20'a%2Bb@x.com'&$top=5`);
      expect(new URL(url).searchParams.get('$filter')).toBe("mail eq 'a+b@x.com'");
    });
  });

  describe('retries', () => {
    it.each([429, 503, 504])('when %i comes with Retry-After, then the wait is exactly Retry-After and counted as throttling', async (status) => {
      sequence({ status, headers: { 'Retry-After': '7' } }, { status, headers: { 'Retry-After': '2' } });
      const { c, sleep } = client();
      await expect(c.get('/users')).resolves.toEqual({ value: [{ id: 'ok' }] });
      expect(sleep.calls).toEqual([7000, 2000]);
      expect(c.stats()).toEqual({ requests: 3, throttleWaits: 2, throttleWaitMs: 9000, retries: 2 });
    });

    it('when Retry-After is an HTTP date, then the wait runs until that date on the injected clock', async () => {
      const now = Date.parse('2026-01-01T00:00:00Z');
      sequence({ status: 429, headers: { 'Retry-After': 'Thu, 01 Jan 2026 00:00:30 GMT' } });
      const { c, sleep } = client({ now: () => now });
      await c.get('/users');
      expect(sleep.calls).toEqual([30_000]);
    });

    it.each([500, 502, 504])('when %i comes without Retry-After, then retries back off exponentially', async (status) => {
      sequence({ status }, { status }, { status });
      const { c, sleep, events } = client();
      await expect(c.get('/users')).resolves.toEqual({ value: [{ id: 'ok' }] });
      expect(sleep.calls).toEqual([500, 1000, 2000]);
      expect(c.stats()).toEqual({ requests: 4, throttleWaits: 0, throttleWaitMs: 0, retries: 3 });
      expect(events.map((e) => e.kind)).toEqual(['retry', 'retry', 'retry']);
    });

    it('when jitter is random, then each backoff lies between half and all of the exponential ceiling', async () => {
      sequence({ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 });
      const { c, sleep } = client({ random: Math.random });
      await c.get('/users');
      [500, 1000, 2000, 4000].forEach((ceiling, i) => {
        expect(sleep.calls[i]).toBeGreaterThanOrEqual(ceiling / 2);
        expect(sleep.calls[i]).toBeLessThanOrEqual(ceiling);
      });
    });

    it('when the connection is dropped before or during the response, then the request is retried with backoff', async () => {
      sequence('drop', 'dropMidBody');
      const { c, sleep, events } = client();
      await expect(c.get('/users')).resolves.toEqual({ value: [{ id: 'ok' }] });
      expect(sleep.calls).toEqual([500, 1000]);
      expect(stub.requests).toHaveLength(3);
      expect(events.every((e) => e.kind === 'retry' && e.status === null)).toBe(true);
    });

    it.each([
      [400, 'BadRequest', 'GRAPH_REQUEST_FAILED'],
      [401, 'InvalidAuthenticationToken', 'GRAPH_ACCESS_DENIED'],
      [403, 'ErrorAccessDenied', 'GRAPH_ACCESS_DENIED'],
      [404, 'ErrorItemNotFound', 'GRAPH_REQUEST_FAILED'],
    ])('when %i %s comes back, then it is not retried and fails as %s with the Graph code', async (status, graphCode, appCode) => {
      sequence({ status, code: graphCode });
      const { c, sleep } = client();
      const error = await c.get('/users').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: appCode, details: { graphCode, status, requestId: 'req-1' } });
      expect(stub.requests).toHaveLength(1);
      expect(sleep.calls).toEqual([]);
    });

    it.each([404, 503])('when MailboxNotEnabledForRESTAPI comes back with %i, then it is not retried and fails as GRAPH_MAILBOX_UNAVAILABLE', async (status) => {
      sequence({ status, code: 'MailboxNotEnabledForRESTAPI', headers: { 'Retry-After': '1' } });
      const { c } = client();
      await expect(c.get('/users/u1/messages')).rejects.toMatchObject({
        code: 'GRAPH_MAILBOX_UNAVAILABLE',
        details: { graphCode: 'MailboxNotEnabledForRESTAPI', status },
      });
      expect(stub.requests).toHaveLength(1);
    });

    it('when 5xx persists beyond the retry budget, then it fails with the last status and Graph code', async () => {
      handler = (_req, res) => graphError(res, 500, 'generalException');
      const { c, sleep } = client({ retry: { maxRetries: 3 } });
      await expect(c.get('/users')).rejects.toMatchObject({ code: 'GRAPH_REQUEST_FAILED', details: { graphCode: 'generalException', status: 500 } });
      expect(stub.requests).toHaveLength(4);
      expect(sleep.calls).toEqual([500, 1000, 2000]);
    });

    it('when connections keep dropping, then it fails as GRAPH_REQUEST_FAILED with a network code and no status', async () => {
      handler = (_req, res) => void res.socket?.destroy();
      const { c } = client({ retry: { maxRetries: 2 } });
      const error = await c.get('/users').catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'GRAPH_REQUEST_FAILED', details: { status: null } });
      expect(String((error as AppError).details?.graphCode)).toMatch(/^(ECONNRESET|UND_ERR_SOCKET|NetworkError)$/);
      expect(stub.requests).toHaveLength(3);
    });

    it('when an attempt hangs past the attempt timeout, then it is retried like a dropped connection', async () => {
      let first = true;
      handler = (_req, res) => {
        if (first) {
          first = false;
          return; // never answers
        }
        json(res, 200, { value: [] });
      };
      const { c, sleep } = client({ attemptTimeoutMs: 100 });
      await expect(c.get('/users')).resolves.toEqual({ value: [] });
      expect(sleep.calls).toEqual([500]);
    });

    it('when a Retry-After is longer than the cap, then the wait is capped', async () => {
      sequence({ status: 429, headers: { 'Retry-After': '3600' } });
      const { c, sleep } = client({ retry: { maxRetryAfterMs: 60_000 } });
      await c.get('/users');
      expect(sleep.calls).toEqual([60_000]);
    });
  });
});
