/**
 * Composition root: reads the config once, builds the real dependencies, wires the API and the
 * bot together, and listens. It uses only the packages' front doors (api/src/index.ts,
 * bot/src/index.ts); ESLint's `rapport/import-zones` rule enforces that.
 * Demo mode (no Entra credentials) starts the simulator and a first run (shared/DESIGN.md §1).
 */
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import type { RequestHandler } from 'express';
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
  correlatedLogger,
  FileLease,
  schedulerBlobLease,
  installTelemetry,
  Lifecycle,
  type Lease,
  SPAN,
  startAzureMonitorTelemetry,
  telemetry,
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

  // Known once the server listens (PORT=0 picks a free one); the bot's demo links use it.
  let listeningPort = config.port;
  const bot = createBot({
    // With BOT_ID set, every request to /api/messages must carry a Bot Framework token, in any mode.
    auth: {
      botId: config.bot.id,
      botPassword: config.bot.password,
      tenantId: config.bot.tenantId,
      managedIdentityClientId: config.bot.managedIdentityClientId,
      production: config.mode === 'production',
    },
    store: botStore,
    engagement: createEngagementPort(config, services, () => listeningPort),
    logger: withFields(logger, { component: 'bot' }),
    mapBounded,
  });
  const stopBotNotifications = await notifyAfterScheduledRuns(services, bot.notifier, logger);

  const tabDir = path.resolve(__dirname, '../../../tabs/dist');
  const staticDir = [tabDir, path.resolve('tabs/dist')].find((d) => existsSync(path.join(d, 'index.html')));
  if (!staticDir) logger.warn('the tab is not built (npm run build:tabs); serving the API only');
  const lifecycle = new Lifecycle();
  const app = createApp({ config, gateway, stores, logger, services, lifecycle, botHandler: tracedTurns(bot.handler), ...(staticDir ? { staticDir } : {}) });

  const server: Server = await new Promise((resolve, reject) => {
    // Demo mode listens on loopback unless HOST says otherwise (api/src/config.ts).
    const s = config.host ? app.listen(config.port, config.host, () => resolve(s)) : app.listen(config.port, () => resolve(s));
    s.on('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  listeningPort = port;
  const url = `http://${config.host === '127.0.0.1' ? '127.0.0.1' : 'localhost'}:${port}`;

  await services.runs.recoverInterrupted();
  await services.scheduler.start({ lease: schedulerLease(config) });
  if (demo) await bootstrapDemo(demo, services, gateway, { ...config, port }, logger);
  logger.info(`Rapport is listening on ${url}`, { mode: config.mode });

  return {
    url,
    config,
    demo,
    // The graceful stop (SIGTERM): no new work, the scheduler's lease given up, the running run
    // suspended at a checkpoint to resume at the next start, requests in flight finished.
    close: async () => {
      lifecycle.beginShutdown();
      await services.scheduler.shutdown();
      const run = await services.runs.suspend(RUN_SUSPEND_WAIT_MS);
      if (run === 'timeout') logger.warn('the run did not stop within the shutdown budget; it resumes from its last checkpoint at the next start');
      stopBotNotifications();
      await closeServer(server);
      await demo?.simulator.close();
    },
  };
}

/** Budgets inside the 30 s a platform waits after SIGTERM (App Service, Kubernetes) before it kills. */
const RUN_SUSPEND_WAIT_MS = 15_000;
const REQUEST_DRAIN_MS = 5_000;
const HARD_EXIT_MS = 28_000;

/**
 * With Azure Storage configured (AZURE_STORAGE_CONNECTION_STRING, or AZURE_STORAGE_ACCOUNT_NAME
 * with the managed identity, as infra/ sets it), a blob lease elects one scheduler among every
 * instance on that account, whatever file system each has; otherwise the lock file under
 * DATA_DIR elects one among processes on this data.
 */
function schedulerLease(config: AppConfig): Lease {
  if (config.storage) return schedulerBlobLease(config.storage);
  return new FileLease({ path: path.join(config.dataDir, 'scheduler.lease'), clock: { now: () => new Date() } });
}

/**
 * Stops listening and lets requests in flight finish; event streams (a run's progress) and
 * anything slower are cut after REQUEST_DRAIN_MS so the process exits in time.
 */
async function closeServer(server: Server): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), REQUEST_DRAIN_MS);
  await closed;
  clearTimeout(timer);
}

/** Each bot turn (a POST to /api/messages) in a span until its answer is sent; the activity itself is never an attribute. */
function tracedTurns(handler: RequestHandler): RequestHandler {
  return (req, res, next) => {
    void telemetry().span(SPAN.botTurn, {}, (span) =>
      new Promise<void>((resolve) => {
        res.once('finish', () => {
          span.set({ 'http.response.status_code': res.statusCode });
          resolve();
        });
        res.once('close', () => resolve());
        Promise.resolve(
          handler(req, res, (error?: unknown) => {
            resolve();
            next(error);
          }),
        ).catch((error: unknown) => {
          resolve();
          next(error);
        });
      }),
    );
  };
}

async function main(): Promise<void> {
  const config = loadConfig();
  // Installed before anything runs, so every span and log line of this process is covered.
  const tracing = config.telemetry ? installTelemetry(await startAzureMonitorTelemetry({ connectionString: config.telemetry.connectionString })) : null;
  const logger = correlatedLogger(createLogger({ level: config.logLevel, format: config.logFormat }));
  if (tracing) logger.info('telemetry: traces and metrics go to Application Insights (no addresses, no message content)');
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
    // Whatever hangs, the process is gone before the platform's kill, with a line saying why.
    setTimeout(() => {
      logger.error(`${signal}: the graceful shutdown took over ${HARD_EXIT_MS / 1000} s; exiting now`);
      process.exit(1);
    }, HARD_EXIT_MS).unref();
    running
      .close()
      // The last spans and metrics are flushed; an unreachable endpoint must not hold the exit.
      .then(() => telemetry().shutdown().catch(() => undefined))
      .then(
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
