import { FaultInjector, mulberry32, resolveFaults } from './faults';
import { startSimulator, type RunningSimulator } from './server';
import { tinyTenant } from './test-tenant';

describe('fault draws', () => {
  it('when mulberry32 is seeded twice alike, then it yields the same sequence', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    expect(Array.from({ length: 5 }, a)).toEqual(Array.from({ length: 5 }, b));
  });

  it('when the same URLs are asked with the same seed, then the same faults come out', () => {
    const run = (): (string | undefined)[] => {
      const f = new FaultInjector(resolveFaults({ seed: 3, rate429: 0.2, rate503: 0.1, rate504: 0.1, rateDrop: 0.1 }));
      return Array.from({ length: 200 }, (_, i) => f.draw(`GET /users/u/messages?p=${i % 40}`));
    };
    const first = run();
    expect(run()).toEqual(first);
    for (const k of ['429', '503', '504', 'drop']) expect(first.filter((x) => x === k).length).toBeGreaterThan(5);
  });

  it('when rates add up to more than 1, then the configuration is refused', () => {
    expect(() => resolveFaults({ rate429: 0.8, rate503: 0.5 })).toThrow(RangeError);
  });

  it.each([-0.1, 1.5, Number.NaN])('when the churn rate is %p, then the configuration is refused', (churnRate) => {
    expect(() => resolveFaults({ churnRate })).toThrow(RangeError);
  });

  it('when churn and error rates are both set, then they do not share the budget of 1', () => {
    expect(resolveFaults({ rate429: 0.9, churnRate: 0.5 })).toMatchObject({ rate429: 0.9, churnRate: 0.5 });
  });
});

describe('fault injection over HTTP', () => {
  let sim: RunningSimulator;
  let token: string;
  const url = (): string => `${sim.graphBaseUrl}/users/u-alice/messages?$select=id&$top=1`;

  beforeAll(async () => {
    sim = await startSimulator({ tenant: tinyTenant(), consent: { granted: true } });
    token = await sim.issueToken();
  });
  afterAll(() => sim.close());
  beforeEach(() => sim.resetStats());

  const get = (u: string): Promise<Response> => fetch(u, { headers: { Authorization: `Bearer ${token}` } });

  it.each([
    ['429', { rate429: 1, retryAfterSeconds: 0 }, 'TooManyRequests', '0'],
    ['503', { rate503: 1, retryAfter503Seconds: 2 }, 'ServiceUnavailable', '2'],
    ['504', { rate504: 1 }, 'GatewayTimeout', null],
  ] as const)('when every request draws a %s, then it answers that status, code and Retry-After', async (status, f, code, retryAfter) => {
    sim.setFaults({ seed: 1, ...f });
    const res = await get(url());
    expect(res.status).toBe(Number(status));
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe(code);
    expect(res.headers.get('retry-after')).toBe(retryAfter);
    expect(sim.stats().faultsInjected[status]).toBe(1);
  });

  it('when a connection is dropped, then the client sees a network error', async () => {
    sim.setFaults({ rateDrop: 1 });
    await expect(get(url())).rejects.toThrow();
    expect(sim.stats().faultsInjected.drop).toBe(1);
  });

  it('when faults are seeded, then the same request sequence gets the same statuses, and retries eventually pass', async () => {
    const sequence = async (): Promise<number[]> => {
      sim.setFaults({ seed: 11, rate429: 0.3, rate503: 0.2, retryAfterSeconds: 0 });
      const out: number[] = [];
      for (let i = 0; i < 30; i++) out.push((await get(`${sim.graphBaseUrl}/users/u-alice/messages?$select=id&$top=${(i % 10) + 1}`)).status);
      return out;
    };
    const a = await sequence();
    expect(await sequence()).toEqual(a);
    expect(a).toContain(429);
    expect(a).toContain(200);
  });

  it('when faults are set, then token and consent routes are never faulted', async () => {
    sim.setFaults({ rate503: 1 });
    const res = await fetch(sim.tokenUrl, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: 'rapport-demo-client', client_secret: 'rapport-demo-secret', scope: 'https://graph.microsoft.com/.default' }),
    });
    expect(res.status).toBe(200);
  });

  it('when latency is set, then answers take at least that long', async () => {
    sim.setFaults({ latencyMs: 60 });
    const t0 = Date.now();
    expect((await get(url())).status).toBe(200);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(55);
  });

  it('when a mailbox is marked not enabled (by address), then its mail and calendar answer 404 MailboxNotEnabledForRESTAPI and others work', async () => {
    sim.setFaults({ mailboxNotEnabled: ['ALICE@contoso.com'] });
    for (const u of [url(), `${sim.graphBaseUrl}/users/u-alice/calendarView?startDateTime=2025-01-01T00:00:00Z&endDateTime=2025-02-01T00:00:00Z&$select=id`]) {
      const res = await get(u);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('MailboxNotEnabledForRESTAPI');
    }
    expect((await get(`${sim.graphBaseUrl}/users/u-carol/messages?$select=id`)).status).toBe(200);
  });

  it('when a mailbox is outside the application access policy, then its mail, folders and calendar answer 403 ErrorAccessDenied with Graph\'s message and others work', async () => {
    // Arrange
    sim.setFaults({ mailboxAccessDenied: ['u-alice'] });
    // Act + Assert
    for (const u of [
      url(),
      `${sim.graphBaseUrl}/users/alice@contoso.com/mailFolders/junkemail?$select=id`,
      `${sim.graphBaseUrl}/users/u-alice/calendarView?startDateTime=2025-01-01T00:00:00Z&endDateTime=2025-02-01T00:00:00Z&$select=id`,
    ]) {
      const res = await get(u);
      expect(res.status).toBe(403);
      expect(((await res.json()) as { error: { code: string; message: string } }).error).toMatchObject({
        code: 'ErrorAccessDenied',
        message: 'Access to OData is disabled: [RAOP] : Blocked by tenant configured AppOnly AccessPolicy settings.',
      });
    }
    expect(sim.stats().faultsInjected.accessDenied).toBe(3);
    expect((await get(`${sim.graphBaseUrl}/users/u-carol/messages?$select=id`)).status).toBe(200);
    expect((await get(`${sim.graphBaseUrl}/users/u-alice?$select=id`)).status).toBe(200);
  });

  it('when 6 requests for one mailbox run at once, then 2 get 429 ApplicationThrottled and the attempted concurrency is recorded', async () => {
    sim.setFaults({ latencyMs: 40, retryAfterSeconds: 0 });
    const statuses = await Promise.all(Array.from({ length: 6 }, (_, i) => get(`${sim.graphBaseUrl}/users/u-alice/messages?$select=id&$top=${i + 1}`).then((r) => r.status)));
    expect(statuses.filter((s) => s === 429)).toHaveLength(2);
    expect(sim.stats().maxMailboxConcurrency).toBe(5);
  });
});
