/**
 * Composition root: reads the config once, builds the real dependencies, and listens.
 * Demo mode (no Entra credentials) starts the simulator and a first run (shared/DESIGN.md §1).
 */
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import path from 'node:path';
import { createBot } from '../../bot/src';
import { botStateSchema, defaultBotState, type BotState } from '../../bot/src/state';
import { createEngagementPort } from './bot-engagement';
import { loadConfig, redactedConfig, type AppConfig } from './config';
import { bootstrapDemo, startDemoTenant, type DemoTenant } from './demo';
import { isAppError } from './errors';
import { createApp } from './http/app';
import { createServices } from './services';
import { createConsoleLogger, type Logger } from './services/logger';
import { emptyAppState, emptyDatasets, emptyResults, type AppState, type DatasetsDocument, type ResultsDocument } from './services/state';
import { notifyAfterScheduledRuns } from './run-notifications';
import { LowdbDocument } from './store/lowdb-document';
import { FileRunStateStore } from './enrichment/run-state';
import { createProductionGateway, createSimulatorGateway } from './tenant-gateway';

export interface RunningApp {
  url: string;
  config: AppConfig;
  demo: DemoTenant | null;
  close(): Promise<void>;
}

export async function startRapport(config: AppConfig, logger: Logger): Promise<RunningApp> {
  logger.info('starting Rapport', redactedConfig(config));
  const stores = {
    state: await LowdbDocument.open<AppState>(path.join(config.dataDir, 'state.json'), emptyAppState),
    results: await LowdbDocument.open<ResultsDocument>(path.join(config.dataDir, 'results.json'), emptyResults),
    datasets: await LowdbDocument.open<DatasetsDocument>(path.join(config.dataDir, 'datasets.json'), emptyDatasets),
  };
  const botStore = await LowdbDocument.open<BotState>(path.join(config.dataDir, 'bot.json'), defaultBotState, botStateSchema as never);

  const demo = config.mode === 'demo' ? await startDemoTenant(config, new Date()) : null;
  const gateway = demo ? createSimulatorGateway(demo.simulator, { concurrency: config.graph.concurrency }) : createProductionGateway(config);
  // Per-mailbox checkpoints and the run journal: weekly runs refresh incrementally and resume.
  // Demo mode regenerates its tenant at every start, so stored partials would mix two tenants.
  const runState = demo ? undefined : await FileRunStateStore.open(path.join(config.dataDir, 'runs'));
  const services = createServices({ config, gateway, stores, logger, ...(runState ? { runState } : {}) });

  const bot = createBot({
    auth: { botId: config.bot.id, botPassword: config.bot.password, tenantId: config.graph.tenantId, production: config.mode === 'production' },
    store: botStore,
    engagement: createEngagementPort(config, services),
    logger,
  });
  await notifyAfterScheduledRuns(services, bot.notifier, logger);

  const tabDir = path.resolve(__dirname, '../../../tabs/dist');
  const staticDir = [tabDir, path.resolve('tabs/dist')].find((d) => existsSync(path.join(d, 'index.html')));
  if (!staticDir) logger.warn('the tab is not built (npm run build:tabs); serving the API only');
  const app = createApp({ config, gateway, stores, logger, services, botHandler: bot.handler, ...(staticDir ? { staticDir } : {}) });

  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.port, () => resolve(s));
    s.on('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://localhost:${port}`;

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
  const logger = createConsoleLogger(config.logLevel);
  const running = await startRapport(config, logger);
  if (config.mode === 'demo') {
    console.log(`\nRapport demo: open ${running.url} (a synthetic tenant is being enriched; the dashboard fills in seconds)\n`);
  }
  const stop = (signal: string) => {
    logger.info(`${signal}: shutting down`);
    running.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(isAppError(e) ? `rapport: ${e.message}` : e);
    process.exit(1);
  });
}
