/**
 * Composition root: reads the config once, builds the real dependencies, wires the API and the
 * bot together, and listens. It uses only the packages' front doors (api/src/index.ts,
 * bot/src/index.ts); ESLint's `rapport/import-zones` rule enforces that.
 * Demo mode (no Entra credentials) starts the simulator and a first run (shared/DESIGN.md §1).
 */
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import {
  bootstrapDemo,
  createApp,
  createLogger,
  createProductionGateway,
  createServices,
  createSimulatorGateway,
  isAppError,
  loadConfig,
  LowdbDocument,
  mapBounded,
  openStores,
  redactedConfig,
  startDemoTenant,
  withFields,
  type AppConfig,
  type DemoTenant,
  type Logger,
} from '../../api/src';
import { botStateSchema, createBot, defaultBotState, isBotConfigError, type BotState } from '../../bot/src';
import { createEngagementPort } from './bot-engagement';
import { notifyAfterScheduledRuns } from './run-notifications';

export interface RunningApp {
  url: string;
  config: AppConfig;
  demo: DemoTenant | null;
  close(): Promise<void>;
}

export async function startRapport(config: AppConfig, logger: Logger): Promise<RunningApp> {
  logger.info('starting Rapport', redactedConfig(config));
  // Demo mode regenerates its tenant at every start, so stored partials would mix two tenants: no run state.
  const { stores, runState } = await openStores(config.dataDir, logger, { runState: config.mode !== 'demo' });
  const botStore = await LowdbDocument.open<BotState>(path.join(config.dataDir, 'bot.json'), defaultBotState, {
    schema: botStateSchema as never,
    onCorrupt: 'move-aside-and-fail',
  });

  const demo = config.mode === 'demo' ? await startDemoTenant(config, new Date()) : null;
  if (demo) {
    logger.info(`demo: the embedded Microsoft Graph simulator serves a synthetic tenant at ${demo.simulator.graphBaseUrl}`, {
      mailboxes: demo.simulator.store.mailboxIds().length,
      source: config.demoTenant ? 'DEMO_TENANT fixture' : 'generated (seeded, the same at every start)',
    });
    logger.info('demo: every call acts as Demo Admin, a Rapport admin (docs/api.md); no sign-in is needed');
  }
  const gateway = demo ? createSimulatorGateway(demo.simulator, { concurrency: config.graph.concurrency }) : createProductionGateway(config);
  const services = createServices({ config, gateway, stores, logger, ...(runState ? { runState } : {}) });

  const bot = createBot({
    // With BOT_ID set, every request to /api/messages must carry a Bot Framework token, in any mode.
    auth: { botId: config.bot.id, botPassword: config.bot.password, tenantId: config.graph.tenantId, production: config.mode === 'production' },
    store: botStore,
    engagement: createEngagementPort(config, services),
    logger: withFields(logger, { component: 'bot' }),
    mapBounded,
  });
  await notifyAfterScheduledRuns(services, bot.notifier, logger);

  const tabDir = path.resolve(__dirname, '../../../tabs/dist');
  const staticDir = [tabDir, path.resolve('tabs/dist')].find((d) => existsSync(path.join(d, 'index.html')));
  if (!staticDir) logger.warn('the tab is not built (npm run build:tabs); serving the API only');
  const app = createApp({ config, gateway, stores, logger, services, botHandler: bot.handler, ...(staticDir ? { staticDir } : {}) });

  const server: Server = await new Promise((resolve, reject) => {
    // Demo mode listens on loopback unless HOST says otherwise (api/src/config.ts).
    const s = config.host ? app.listen(config.port, config.host, () => resolve(s)) : app.listen(config.port, () => resolve(s));
    s.on('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://${config.host === '127.0.0.1' ? '127.0.0.1' : 'localhost'}:${port}`;

  await services.runs.recoverInterrupted();
  await services.scheduler.start();
  if (demo) await bootstrapDemo(demo, services, gateway, { ...config, port }, logger);
  logger.info(`Rapport is listening on ${url}`, { mode: config.mode });

  return {
    url,
    config,
    demo,
    close: async () => {
      services.scheduler.stop();
      await services.runs.whenIdle();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await demo?.simulator.close();
    },
  };
}

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ level: config.logLevel, format: config.logFormat });
  const running = await startRapport(config, logger);
  if (config.mode === 'demo') {
    // A DEMO_TENANT fixture brings mailboxes but no customer dataset: nothing is enriched until
    // the setup wizard has one.
    const what = config.demoTenant
      ? 'your DEMO_TENANT fixture is served; upload a customer file in the setup wizard and the dashboard fills in after the first run'
      : 'a synthetic tenant is being enriched; the dashboard fills in within seconds';
    console.log(`\nRapport demo: open ${running.url} (${what})\n`);
  }
  let stopping = false;
  const stop = (signal: string) => {
    // A terminal's Ctrl-C reaches both `npm start`'s launcher (which forwards it) and this
    // process: the second signal must not cut the graceful shutdown short.
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: shutting down`);
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) {
  main().catch((e: unknown) => {
    // Configuration faults are the operator's to fix: one line, no stack trace. Anything else
    // goes through the logger, so a token or an address quoted in the error is redacted.
    if (isAppError(e) || isBotConfigError(e)) console.error(`rapport: ${e.message}`);
    else createLogger({ level: 'error' }).error('Rapport stopped on an unexpected error', { error: e });
    process.exit(1);
  });
}
