import { GraphBatch, MAX_BATCH_MEMBERS, packBatches } from './batch';
import type { MemberRetry } from './client';
import { ConcurrencyLimiter } from './limiter';
import { DEFAULT_RETRY_POLICY } from './retry';

const BASE = 'https://graph.example/v1.0';

type Member = { id: string; method: string; url: string; headers?: Record<string, string> };
type Answer = { status: number; headers?: Record<string, string>; body?: unknown };
/** Answers one member of one envelope: `call` counts envelopes from 0. */
type Script = (member: Member, call: number) => Answer;

const error = (code: string) => ({ error: { code, message: `stub ${code}` } });

function harness(script: Script, options: { maxRetries?: number; perKey?: number } = {}) {
  const envelopes: Member[][] = [];
  const sleeps: number[] = [];
  const recorded: Array<{ url: string; status: number; waitMs: number; throttled: boolean; attempt: number }> = [];
  const limiter = new ConcurrencyLimiter({ perKey: options.perKey ?? 4, global: 16 });
  const slotsSeen: number[] = [];
  const memberRetry: MemberRetry = {
    policy: { ...DEFAULT_RETRY_POLICY, baseDelayMs: 100, ...(options.maxRetries !== undefined ? { maxRetries: options.maxRetries } : {}) },
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    random: () => 0,
    now: () => 0,
    record: (url, status, decision, attempt) => recorded.push({ url, status, waitMs: decision.waitMs, throttled: decision.throttled, attempt }),
  };
  const client = {
    baseUrl: BASE,
    memberRetry,
    postJson: async (url: string, body: unknown) => {
      expect(url).toBe('/$batch');
      const requests = (body as { requests: Member[] }).requests;
      const call = envelopes.length;
      envelopes.push(requests);
      slotsSeen.push(limiter.running('a'));
      return { responses: requests.map((m) => ({ id: m.id, ...script(m, call) })) };
    },
  };
  return { batch: new GraphBatch(client, limiter), envelopes, sleeps, recorded, slotsSeen, limiter };
}

const get = (path: string, key: string | undefined = 'a') => ({ key, url: `${BASE}${path}` });
const ok = (m: Member): Answer => ({ status: 200, body: { id: m.url } });

describe('packBatches', () => {
  it.each([
    { name: 'six of one mailbox: 4 then 2', keys: ['a', 'a', 'a', 'a', 'a', 'a'], perKey: 4, want: [[0, 1, 2, 3], [4, 5]] },
    { name: 'two mailboxes share a batch, 4 each', keys: ['a', 'b', 'a', 'b', 'a', 'b', 'a', 'b', 'a'], perKey: 4, want: [[0, 1, 2, 3, 4, 5, 6, 7], [8]] },
    { name: 'keyless requests count only against 20', keys: Array.from({ length: 25 }, () => undefined), perKey: 4, want: [Array.from({ length: 20 }, (_, i) => i), [20, 21, 22, 23, 24]] },
    { name: 'first fit: a later mailbox fills the first batch', keys: ['a', 'a', 'a', 'a', 'a', 'b'], perKey: 4, want: [[0, 1, 2, 3, 5], [4]] },
    { name: 'nothing', keys: [], perKey: 4, want: [] },
  ])('$name', ({ keys, perKey, want }) => {
    const got = packBatches(keys, perKey);
    expect(got).toEqual(want);
    for (const batch of got) expect(batch.length).toBeLessThanOrEqual(MAX_BATCH_MEMBERS);
  });
});

describe('GraphBatch.getAll', () => {
  it.each<{
    name: string;
    script: Script;
    maxRetries?: number;
    want: Array<{ ok: true; body: unknown } | { ok: false; status: number; graphCode: string }>;
    envelopes: string[][];
    sleeps: number[];
    recorded: Array<{ status: number; waitMs: number; throttled: boolean; attempt: number }>;
  }>([
    {
      name: 'every member answers: one envelope, bodies in request order',
      script: ok,
      want: [
        { ok: true, body: { id: '/users/u1/mailFolders/junkemail' } },
        { ok: true, body: { id: '/users/u1/mailFolders/drafts' } },
      ],
      envelopes: [['/users/u1/mailFolders/junkemail', '/users/u1/mailFolders/drafts']],
      sleeps: [],
      recorded: [],
    },
    {
      name: 'one member 429 with Retry-After: only it is sent again, after exactly that wait',
      script: (m, call) => (m.url.endsWith('drafts') && call === 0 ? { status: 429, headers: { 'Retry-After': '7' }, body: error('ApplicationThrottled') } : ok(m)),
      want: [
        { ok: true, body: { id: '/users/u1/mailFolders/junkemail' } },
        { ok: true, body: { id: '/users/u1/mailFolders/drafts' } },
      ],
      envelopes: [['/users/u1/mailFolders/junkemail', '/users/u1/mailFolders/drafts'], ['/users/u1/mailFolders/drafts']],
      sleeps: [7000],
      recorded: [{ status: 429, waitMs: 7000, throttled: true, attempt: 1 }],
    },
    {
      name: '503 and 504 with different Retry-After: retried together after the longer wait',
      script: (m, call) =>
        call > 0 ? ok(m) : m.url.endsWith('junkemail') ? { status: 503, headers: { 'retry-after': '2' }, body: error('ServiceUnavailable') } : { status: 504, headers: { 'Retry-After': '5' }, body: error('GatewayTimeout') },
      want: [
        { ok: true, body: { id: '/users/u1/mailFolders/junkemail' } },
        { ok: true, body: { id: '/users/u1/mailFolders/drafts' } },
      ],
      envelopes: [['/users/u1/mailFolders/junkemail', '/users/u1/mailFolders/drafts'], ['/users/u1/mailFolders/junkemail', '/users/u1/mailFolders/drafts']],
      sleeps: [5000],
      recorded: [
        { status: 503, waitMs: 2000, throttled: true, attempt: 1 },
        { status: 504, waitMs: 5000, throttled: true, attempt: 1 },
      ],
    },
    {
      name: 'a missing well-known folder (404 ErrorFolderNotFound) is that member’s error, never retried',
      script: (m) => (m.url.endsWith('drafts') ? { status: 404, body: error('ErrorFolderNotFound') } : ok(m)),
      want: [
        { ok: true, body: { id: '/users/u1/mailFolders/junkemail' } },
        { ok: false, status: 404, graphCode: 'ErrorFolderNotFound' },
      ],
      envelopes: [['/users/u1/mailFolders/junkemail', '/users/u1/mailFolders/drafts']],
      sleeps: [],
      recorded: [],
    },
    {
      name: 'a 500 without Retry-After backs off by the policy (base 100, jitter 0: 50 ms)',
      script: (m, call) => (call === 0 && m.url.endsWith('junkemail') ? { status: 500, body: error('InternalServerError') } : ok(m)),
      want: [
        { ok: true, body: { id: '/users/u1/mailFolders/junkemail' } },
        { ok: true, body: { id: '/users/u1/mailFolders/drafts' } },
      ],
      envelopes: [['/users/u1/mailFolders/junkemail', '/users/u1/mailFolders/drafts'], ['/users/u1/mailFolders/junkemail']],
      sleeps: [50],
      recorded: [{ status: 500, waitMs: 50, throttled: false, attempt: 1 }],
    },
    {
      name: 'a member throttled past maxRetries ends as its 429 error; the others stand',
      maxRetries: 2,
      script: (m) => (m.url.endsWith('drafts') ? { status: 429, headers: { 'Retry-After': '1' }, body: error('TooManyRequests') } : ok(m)),
      want: [
        { ok: true, body: { id: '/users/u1/mailFolders/junkemail' } },
        { ok: false, status: 429, graphCode: 'TooManyRequests' },
      ],
      envelopes: [['/users/u1/mailFolders/junkemail', '/users/u1/mailFolders/drafts'], ['/users/u1/mailFolders/drafts'], ['/users/u1/mailFolders/drafts']],
      sleeps: [1000, 1000],
      recorded: [
        { status: 429, waitMs: 1000, throttled: true, attempt: 1 },
        { status: 429, waitMs: 1000, throttled: true, attempt: 2 },
      ],
    },
    {
      name: 'a mailbox not enabled for REST is never retried, whatever its status',
      script: (m) => (m.url.endsWith('junkemail') ? { status: 503, headers: { 'Retry-After': '1' }, body: error('MailboxNotEnabledForRESTAPI') } : ok(m)),
      want: [
        { ok: false, status: 503, graphCode: 'MailboxNotEnabledForRESTAPI' },
        { ok: true, body: { id: '/users/u1/mailFolders/drafts' } },
      ],
      envelopes: [['/users/u1/mailFolders/junkemail', '/users/u1/mailFolders/drafts']],
      sleeps: [],
      recorded: [],
    },
    {
      name: 'a 2xx member without a JSON body is an InvalidResponseBody error',
      script: (m) => (m.url.endsWith('drafts') ? { status: 204 } : ok(m)),
      want: [
        { ok: true, body: { id: '/users/u1/mailFolders/junkemail' } },
        { ok: false, status: 204, graphCode: 'InvalidResponseBody' },
      ],
      envelopes: [['/users/u1/mailFolders/junkemail', '/users/u1/mailFolders/drafts']],
      sleeps: [],
      recorded: [],
    },
  ])('$name', async ({ script, maxRetries, want, envelopes, sleeps, recorded }) => {
    // Arrange
    const h = harness(script, maxRetries !== undefined ? { maxRetries } : {});
    // Act
    const got = await h.batch.getAll([get('/users/u1/mailFolders/junkemail'), get('/users/u1/mailFolders/drafts')]);
    // Assert
    expect(
      got.map((o) => (o.ok ? o : { ok: false, status: (o.error as { details: { status: number } }).details.status, graphCode: (o.error as { details: { graphCode: string } }).details.graphCode })),
    ).toEqual(want);
    expect(h.envelopes.map((e) => e.map((m) => m.url))).toEqual(envelopes);
    expect(h.envelopes.flat().every((m) => m.method === 'GET')).toBe(true);
    expect(h.sleeps).toEqual(sleeps);
    expect(h.recorded.map(({ url: _url, ...r }) => r)).toEqual(recorded);
  });

  it('when six requests of one mailbox are batched, then no envelope holds more than 4 of them, and each takes that many of its slots', async () => {
    const h = harness(ok);
    const names = ['a1', 'a2', 'a3', 'a4', 'a5', 'a6'];
    const got = await h.batch.getAll(names.map((n) => get(`/users/u1/mailFolders/${n}`)));
    expect(got.map((o) => o.ok && (o.body as { id: string }).id)).toEqual(names.map((n) => `/users/u1/mailFolders/${n}`));
    expect(h.envelopes.map((e) => e.length)).toEqual([4, 2]);
    expect(h.slotsSeen).toEqual([4, 2]);
    expect(h.limiter.running()).toBe(0);
  });

  it('when a request is not under the base URL, then it is refused before anything is sent', async () => {
    const h = harness(ok);
    await expect(h.batch.getAll([{ key: 'a', url: 'https://elsewhere.example/v1.0/users/u1' }])).rejects.toMatchObject({ code: 'INTERNAL' });
    expect(h.envelopes).toEqual([]);
  });

  it('when members carry headers, then they travel with their member', async () => {
    const h = harness(ok);
    await h.batch.getAll([{ key: 'a', url: `${BASE}/users/u1/calendarView?$top=1`, headers: { Prefer: 'outlook.timezone="UTC"' } }]);
    expect(h.envelopes[0]).toEqual([{ id: '0', method: 'GET', url: '/users/u1/calendarView?$top=1', headers: { Prefer: 'outlook.timezone="UTC"' } }]);
  });
});
