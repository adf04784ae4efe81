/** Public endpoints, the OpenAPI document, security headers, body limits and rate limiting. */
import request from 'supertest';
import type { Express } from 'express';
import { demoConfig } from './support/config';
import { startHarness, type Harness } from './support/harness';

/** Every (method, path) registered in Express, paths in OpenAPI form. */
function registeredRoutes(app: Express): string[] {
  const found = new Set<string>();
  const walk = (stack: unknown[]): void => {
    for (const layer of stack as { route?: { path: string; methods: Record<string, boolean> }; handle?: { stack?: unknown[] } }[]) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods)) {
          if (method === '_all') continue;
          found.add(`${method} ${layer.route.path.replace(/:(\w+)/g, '{$1}')}`);
        }
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack);
      }
    }
  };
  walk((app as unknown as { router: { stack: unknown[] } }).router.stack);
  return [...found].sort();
}

describe('meta endpoints', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ config: demoConfig() });
  });
  afterEach(() => h.close());

  it('when health is asked, then it answers ok with the mode and a version', async () => {
    const res = await request(h.app).get('/api/health');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'ok', mode: 'demo', version: expect.any(String) });
  });

  it('when /api/me is called in demo mode without a token, then it is the documented Demo Admin', async () => {
    const res = await request(h.app).get('/api/me');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ id: '00000000-0000-0000-0000-0000000000ad', name: 'Demo Admin', tenantId: h.simulator.tenantId, isAdmin: true, mode: 'demo' });
  });

  it('when the OpenAPI document is read, then it is 3.1 and describes every route registered in Express', async () => {
    const res = await request(h.app).get('/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.body.openapi).toBe('3.1.0');
    const documented = new Set<string>();
    for (const [path, ops] of Object.entries(res.body.paths as Record<string, Record<string, unknown>>)) {
      for (const method of Object.keys(ops)) documented.add(`${method} ${path}`);
    }
    const routes = registeredRoutes(h.app);
    expect(routes.length).toBeGreaterThan(30);
    expect(routes.filter((r) => !documented.has(r))).toEqual([]);
  });

  it('when an unknown /api path is called, then 404 NOT_FOUND points at the OpenAPI document', async () => {
    const res = await request(h.app).get('/api/nope');
    expect(res.status).toBe(404);
    expect(res.body.error).toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining('/api/openapi.json') });
  });

  it('when any response is sent, then its CSP lets only Teams, Outlook and Microsoft 365 frame the app', async () => {
    const res = await request(h.app).get('/api/health');
    const csp = res.headers['content-security-policy'] as string;
    const ancestors = /frame-ancestors ([^;]+)/.exec(csp)?.[1]?.split(' ') ?? [];
    expect(ancestors).toEqual(
      expect.arrayContaining([
        "'self'",
        'https://teams.microsoft.com',
        'https://*.teams.microsoft.com',
        'https://*.skype.com',
        'https://*.office.com',
        'https://outlook.office.com',
        'https://outlook.office365.com',
        'https://*.cloud.microsoft',
        'https://*.microsoft365.com',
      ]),
    );
    expect(res.headers['x-frame-options']).toBeUndefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
  });

  it('when a JSON body is larger than 1 MB, then 413 PAYLOAD_TOO_LARGE and nothing is stored', async () => {
    const writes = h.stores.state.writes;
    const res = await request(h.app)
      .post('/api/segments')
      .set('Content-Type', 'application/json')
      .send(JSON.stringify({ name: 'x'.repeat(1_100_000), rule: { kind: 'group', op: 'and', children: [] } }));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(h.stores.state.writes).toBe(writes);
  });

  it('when the JSON body does not parse, then 400 VALIDATION_FAILED says so', async () => {
    const res = await request(h.app).post('/api/segments').set('Content-Type', 'application/json').send('{"name":');
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('JSON') });
  });
});

describe('rate limiting', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ rateLimit: { windowMs: 60_000, limit: 3 } });
  });
  afterEach(() => h.close());

  it('when a user goes over the limit, then 429 RATE_LIMITED, and health stays reachable', async () => {
    for (let i = 0; i < 3; i += 1) expect((await request(h.app).get('/api/me')).status).toBe(200);
    const res = await request(h.app).get('/api/me');
    expect(res.status).toBe(429);
    expect(res.body.error.code).toBe('RATE_LIMITED');
    expect((await request(h.app).get('/api/health')).status).toBe(200);
  });
});
