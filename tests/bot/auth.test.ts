import express from 'express';
import request from 'supertest';
import { mapBounded } from '../../api/src/lib/map-bounded';
import { MemoryDocument } from '../../api/src/store/document-store';
import { createBot, defaultBotState, type BotState } from '../../bot/src';
import { installPersonal, personalMessage } from './activities';
import { FakeEngagement } from './fakes';
import { startHarness } from './harness';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('POST /api/messages authentication', () => {
  function productionApp() {
    const store = new MemoryDocument<BotState>(defaultBotState());
    const bot = createBot({
      auth: { production: true, botId: '00000000-0000-0000-0000-00000000b0b0', botPassword: 'not-a-real-secret', tenantId: 'tenant-0001' },
      store,
      engagement: new FakeEngagement(),
      logger: silent,
      mapBounded,
    });
    const app = express();
    app.post('/api/messages', bot.handler);
    return { app, store };
  }

  test('when production gets a request without a Bot Framework token, then it answers 401 and processes nothing', async () => {
    const { app, store } = productionApp();

    const res = await request(app).post('/api/messages').send(installPersonal('http://127.0.0.1:9/'));

    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="Rapport", error="invalid_token"');
    expect((await store.read()).installations).toEqual({});
    expect(store.writes).toBe(0);
  });

  test('when production gets a malformed token, then it answers 401', async () => {
    const { app, store } = productionApp();

    const res = await request(app).post('/api/messages').set('Authorization', 'Bearer not.a.jwt').send(personalMessage('http://127.0.0.1:9/', 'help'));

    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm="Rapport"/);
    expect(store.writes).toBe(0);
  });

  test('when production has no bot id or password, then createBot refuses to start', () => {
    expect(() =>
      createBot({ auth: { production: true }, store: new MemoryDocument<BotState>(defaultBotState()), engagement: new FakeEngagement(), logger: silent, mapBounded }),
    ).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });

  test('when demo mode gets a request without a token, then it is processed anonymously and replies carry no token', async () => {
    const h = await startHarness();
    try {
      const res = await h.post(personalMessage(h.serviceUrl, 'help'));

      expect(res.status).toBe(200);
      expect(h.connector.received).toHaveLength(1);
      expect(h.connector.received[0]!.authorization).toBeUndefined();
    } finally {
      await h.close();
    }
  });
});
