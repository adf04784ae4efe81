/**
 * A tiny loopback HTTP stub for the graph/ specs: real HTTP on 127.0.0.1, port 0.
 * Each test supplies a handler; every request is recorded for assertions.
 */
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AccessToken, TokenCredential } from '@azure/identity';

export interface StubRequest {
  method: string;
  /** Path and query exactly as received. */
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

export type StubHandler = (req: StubRequest, res: ServerResponse) => void | Promise<void>;

export interface Stub {
  origin: string;
  /** `${origin}/v1.0` */
  baseUrl: string;
  /** Plain requests and `$batch` members (their URLs under /v1.0), in arrival order. */
  requests: StubRequest[];
  /** The `POST /v1.0/$batch` envelopes, as received. */
  batches: StubRequest[];
  close(): Promise<void>;
}

export async function startStub(handler: StubHandler): Promise<Stub> {
  const requests: StubRequest[] = [];
  const batches: StubRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const recorded: StubRequest = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      if (recorded.method === 'POST' && /^\/v1\.0\/\$batch(\?|$)/.test(recorded.url)) {
        batches.push(recorded);
        void answerBatch(recorded, handler, requests).then((body) => json(res, 200, body));
        return;
      }
      requests.push(recorded);
      Promise.resolve(handler(recorded, res)).catch((error: unknown) => {
        if (!res.headersSent) json(res, 500, { error: { code: 'StubFailure', message: String(error) } });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    baseUrl: `${origin}/v1.0`,
    requests,
    batches,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * JSON batching as Graph does it: every member through `handler` (as if sent alone, all at
 * once), its status, headers and JSON body in the envelope.
 */
async function answerBatch(envelope: StubRequest, handler: StubHandler, requests: StubRequest[]): Promise<unknown> {
  const members = (JSON.parse(envelope.body) as { requests: Array<{ id: string; method: string; url: string; headers?: Record<string, string> }> }).requests;
  const responses = await Promise.all(
    members.map(async (m) => {
      const headers: IncomingMessage['headers'] = { authorization: envelope.headers.authorization };
      for (const [k, v] of Object.entries(m.headers ?? {})) headers[k.toLowerCase()] = v;
      const member: StubRequest = { method: m.method, url: `/v1.0${m.url}`, headers, body: '' };
      requests.push(member);
      const captured = { status: 200, headers: {} as Record<string, string>, body: '' };
      const done = new Promise<void>((resolve) => {
        const fake = {
          headersSent: false,
          writeHead(status: number, h: Record<string, string> = {}) {
            captured.status = status;
            Object.assign(captured.headers, h);
            fake.headersSent = true;
            return fake;
          },
          end(chunk?: string) {
            captured.body = chunk ?? '';
            resolve();
            return fake;
          },
        };
        Promise.resolve(handler(member, fake as unknown as ServerResponse)).catch((error: unknown) => {
          if (!fake.headersSent) json(fake as unknown as ServerResponse, 500, { error: { code: 'StubFailure', message: String(error) } });
        });
      });
      await done;
      return { id: m.id, status: captured.status, headers: captured.headers, body: captured.body === '' ? undefined : (JSON.parse(captured.body) as unknown) };
    }),
  );
  return { responses };
}

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export function graphError(res: ServerResponse, status: number, code: string, headers: Record<string, string> = {}): void {
  json(res, status, { error: { code, message: `stub ${code}`, innerError: { 'request-id': 'req-1' } } }, headers);
}

/** A credential that always hands out `token`, counting calls. */
export function staticCredential(token = 'test-token'): TokenCredential & { calls: number } {
  const credential = {
    calls: 0,
    async getToken(): Promise<AccessToken> {
      credential.calls += 1;
      return { token, expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };
  return credential;
}

/** A sleep that records the requested delays and resolves at once. */
export function recordingSleep(): ((ms: number) => Promise<void>) & { calls: number[] } {
  const calls: number[] = [];
  const sleep = Object.assign(async (ms: number) => {
    calls.push(ms);
  }, { calls });
  return sleep;
}

/** The query parameters of a recorded request URL. */
export function queryOf(url: string): URLSearchParams {
  return new URL(url, 'http://stub').searchParams;
}

export function pathOf(url: string): string {
  return new URL(url, 'http://stub').pathname;
}

/** Resolves after `ms` real milliseconds. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
