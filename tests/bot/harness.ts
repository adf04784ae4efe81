/** Builds the bot over fakes, mounts it on Express, and talks to it with supertest. */
import express from 'express';
import request from 'supertest';
import { mapBounded } from '../../api/src/lib/map-bounded';
import { MemoryDocument, type DocumentStore } from '../../api/src/store/document-store';
import { createBot, defaultBotState, type BotAuthOptions, type BotState, type Logger, type MapBounded } from '../../bot/src';
import { FakeConnector } from './fake-connector';
import { FakeEngagement, FakeMessageExtensions } from './fakes';

export interface LogEntry {
  level: 'info' | 'warn' | 'error';
  message: string;
  fields: Record<string, unknown>;
}

export const NOW = new Date('2026-01-12T09:00:00.000Z');

export interface HarnessOptions {
  store?: DocumentStore<BotState>;
  engagement?: FakeEngagement;
  connector?: FakeConnector;
  auth?: BotAuthOptions;
  clock?: () => Date;
  extensions?: FakeMessageExtensions;
}

export async function startHarness(options: HarnessOptions = {}) {
  const connector = options.connector ?? (await new FakeConnector().start());
  const engagement = options.engagement ?? new FakeEngagement();
  const store = options.store ?? new MemoryDocument<BotState>(defaultBotState());
  const extensions = options.extensions ?? new FakeMessageExtensions();
  const logs: LogEntry[] = [];
  const log =
    (level: LogEntry['level']) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      logs.push({ level, message, fields });
  const logger: Logger = { info: log('info'), warn: log('warn'), error: log('error') };
  /** Waits the fan-out asked for, instead of really waiting. */
  const waits: number[] = [];
  /** Each use of the injected pool: how many items, under which limit. */
  const pools: { items: number; limit: number }[] = [];
  const pool: MapBounded = (items, limit, worker) => {
    pools.push({ items: items.length, limit });
    return mapBounded(items, limit, worker);
  };
  const bot = createBot({
    auth: options.auth ?? { production: false },
    store,
    engagement,
    logger,
    mapBounded: pool,
    clock: options.clock ?? (() => NOW),
    delivery: { sleep: (ms) => Promise.resolve(void waits.push(ms)), baseBackoffMs: 10 },
    messageExtensions: () => extensions,
  });
  const app = express();
  app.post('/api/messages', bot.handler);
  const post = (activity: object) => request(app).post('/api/messages').send(activity);
  return {
    connector,
    engagement,
    extensions,
    store,
    notifier: bot.notifier,
    app,
    post,
    logs,
    waits,
    pools,
    serviceUrl: connector.url,
    close: () => connector.stop(),
  };
}

export type Harness = Awaited<ReturnType<typeof startHarness>>;
