/** The built tab at `/` with an SPA fallback, and the bot handler mounted at POST /api/messages. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createApp, type AppDeps } from '../../api/src/http/app';
import { emptyAppState } from '../../api/src/services/state';
import { MemoryDatasetStore } from '../../api/src/store/dataset-store';
import { MemoryDocument } from '../../api/src/store/document-store';
import { MemoryResultsStore } from '../../api/src/store/results-store';
import type { ActivitySource, TenantGateway } from '../../api/src/enrichment/ports';
import { productionConfig } from './support/config';

/** The tab and bot routes never reach the tenant: every gateway method says so. */
class UnusedGateway implements TenantGateway {
  mode = 'production' as const;
  tenantId = 'unused';
  clientId = 'unused';
  authorityHost = 'https://login.microsoftonline.com';
  newSource(): ActivitySource {
    throw new Error('not implemented');
  }
  grantedRoles(): Promise<string[]> {
    throw new Error('not implemented');
  }
}

describe('static tab and bot endpoint (production mode)', () => {
  let dir: string;
  const received: unknown[] = [];
  const app = (extra: Partial<AppDeps> = {}) =>
    createApp({
      config: productionConfig(),
      gateway: new UnusedGateway(),
      stores: { state: new MemoryDocument(emptyAppState()), results: new MemoryResultsStore(), datasets: new MemoryDatasetStore() },
      staticDir: dir,
      botHandler: (req, res) => {
        received.push(req.body);
        res.status(200).json({ ok: true });
      },
      ...extra,
    });

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'rapport-tab-'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Rapport</title><div id="root"></div>');
    writeFileSync(path.join(dir, 'app.js'), 'console.log(1)');
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'assets', 'index-abc123.js'), 'console.log(2)');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('when / is opened, then the tab is served without a token, framable by Teams', async () => {
    const res = await request(app()).get('/');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<div id="root">');
    expect(res.headers['content-security-policy']).toContain('https://teams.microsoft.com');
    expect((await request(app()).get('/app.js')).text).toContain('console.log');
  });

  it('when a client-side route is opened, then index.html is served (SPA fallback)', async () => {
    const res = await request(app()).get('/accounts/A').set('Accept', 'text/html');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<title>Rapport</title>');
  });

  it('when an unknown /api path is asked, then it is never answered with the tab', async () => {
    const res = await request(app()).get('/api/unknown').set('Accept', 'text/html');
    expect(res.status).toBe(401);
  });

  it('when the Bot Framework posts an activity, then the bot handler gets it without a Teams SSO token', async () => {
    const res = await request(app()).post('/api/messages').send({ type: 'message', text: 'hi' });
    expect(res.status).toBe(200);
    expect(received).toEqual([{ type: 'message', text: 'hi' }]);
  });

  it('when a bundle that exists is asked, then it is served', async () => {
    const res = await request(app()).get('/assets/index-abc123.js');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
  });

  it.each([
    ['a missing bundle', '/assets/index-old999.js', 'text/html,*/*'],
    ['a missing bundle asked by a script tag', '/assets/index-old999.js', '*/*'],
    ['a missing file outside /assets', '/favicon.ico', 'text/html'],
    ['a missing source map', '/assets/index-abc123.js.map', '*/*'],
    ['the /assets folder itself', '/assets/', 'text/html'],
  ])('when %s is asked, then 404 JSON, never the tab with 200', async (_label, url, accept) => {
    const res = await request(app()).get(url).set('Accept', accept);
    expect(res.status).toBe(404);
    expect(res.headers['content-type']).toMatch(/application\/json/);
    expect(res.body.error).toMatchObject({ code: 'NOT_FOUND', message: `There is no file at ${url}; reload Rapport to get the current version of the tab.` });
  });

  it.each(['/setup', '/accounts/A', '/office/'])('when the client route %s is opened, then the SPA fallback still answers', async (url) => {
    const res = await request(app()).get(url).set('Accept', 'text/html');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<title>Rapport</title>');
  });

  it('when the bot accepts activities, then they never spend the address budget; when it refuses them, they do', async () => {
    const accepted = app({ rateLimit: { anonymousLimit: 2 } });
    for (let i = 0; i < 5; i += 1) expect((await request(accepted).post('/api/messages').send({ type: 'message', text: `hi ${i}` })).status).toBe(200);
    const refusing = app({ rateLimit: { anonymousLimit: 2 }, botHandler: (_req, res) => void res.status(401).json({ error: 'bad jwt' }) });
    for (let i = 0; i < 2; i += 1) expect((await request(refusing).post('/api/messages').send({ type: 'message' })).status).toBe(401);
    const limited = await request(refusing).post('/api/messages').send({ type: 'message' });
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toMatch(/^\d+$/);
  });

  it('when a bot activity nests deeper than 64 levels, then 400 before the bot handler sees it', async () => {
    const before = received.length;
    const res = await request(app()).post('/api/messages').set('Content-Type', 'application/json').send(`{"value":${'['.repeat(65)}${']'.repeat(65)}}`);
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('JSON_TOO_DEEP');
    expect(received.length).toBe(before);
  });
});
