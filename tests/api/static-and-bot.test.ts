/** The built tab at `/` with an SPA fallback, and the bot handler mounted at POST /api/messages. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { createApp } from '../../api/src/http/app';
import { emptyAppState, emptyDatasets, emptyResults } from '../../api/src/services/state';
import { MemoryDocument } from '../../api/src/store/document-store';
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
  const app = () =>
    createApp({
      config: productionConfig(),
      gateway: new UnusedGateway(),
      stores: { state: new MemoryDocument(emptyAppState()), results: new MemoryDocument(emptyResults()), datasets: new MemoryDocument(emptyDatasets()) },
      staticDir: dir,
      botHandler: (req, res) => {
        received.push(req.body);
        res.status(200).json({ ok: true });
      },
    });

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'rapport-tab-'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>Rapport</title><div id="root"></div>');
    writeFileSync(path.join(dir, 'app.js'), 'console.log(1)');
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
});
