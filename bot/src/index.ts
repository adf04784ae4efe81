/**
 * Rapport's Teams bot: `createBot(deps)` returns the Express handler for `POST /api/messages`
 * and the notifier the scheduler calls after each run.
 *
 * @example
 * ```ts
 * const store = await LowdbDocument.open(path.join(dataDir, 'bot.json'), defaultBotState, botStateSchema);
 * const { handler, notifier } = createBot({ auth: { botId, botPassword, tenantId, production }, store, engagement, logger, mapBounded });
 * app.post('/api/messages', handler);
 * // after a run: await notifier.afterRun({ previous, current, run });
 * ```
 */
import type { RequestHandler } from 'express';
import { AccountMarks } from './actions/account-marks';
import { InstallationStore } from './installations/installation-store';
import { DeliveryLedger } from './notifications/delivery-ledger';
import { DEFAULT_DELIVERY, type DeliveryOptions } from './notifications/fan-out';
import { RunNotifier } from './notifications/notifier';
import { createTeamsFxPlatform, type BotAuthOptions } from './platform/teamsfx-platform';
import type { BotStateStore, EngagementPort, Logger, MapBounded, Notifier } from './ports';
import { RapportBot } from './rapport-bot';

export interface BotDeps {
  auth: BotAuthOptions;
  /** The bot's own document (installations, subscriptions, marks, delivery ledger). */
  store: BotStateStore;
  engagement: EngagementPort;
  logger: Logger;
  /** The bounded pool the fan-out runs on (the API's `mapBounded`). */
  mapBounded: MapBounded;
  /** @default () => new Date() */
  clock?: () => Date;
  /** Fan-out tuning; tests shorten the waits. @default DEFAULT_DELIVERY */
  delivery?: Partial<DeliveryOptions>;
}

export interface Bot {
  /** Mount at `POST /api/messages`. It parses the JSON body itself. */
  handler: RequestHandler;
  notifier: Notifier;
}

export function createBot(deps: BotDeps): Bot {
  const logger = deps.logger;
  const clock = deps.clock ?? (() => new Date());
  const installations = new InstallationStore(deps.store, clock);
  const marks = new AccountMarks(deps.store);
  const bot = new RapportBot({ engagement: deps.engagement, installations, marks, clock, logger });
  const { handler, sender } = createTeamsFxPlatform({ auth: deps.auth, bot, installations, logger });
  const notifier = new RunNotifier({
    engagement: deps.engagement,
    installations,
    marks,
    ledger: new DeliveryLedger(deps.store, clock),
    sender,
    clock,
    logger,
    mapBounded: deps.mapBounded,
    delivery: { ...DEFAULT_DELIVERY, ...deps.delivery },
  });
  return { handler, notifier };
}

export { BotConfigError, isBotConfigError } from './errors';
export { botStateSchema, defaultBotState, type BotState } from './state';
export type { BotAuthOptions } from './platform/teamsfx-platform';
export type {
  AccountDetail,
  AccountRow,
  AfterRunInput,
  AfterRunReport,
  BotStateStore,
  DeliveryReport,
  EngagementPort,
  Logger,
  MapBounded,
  Notifier,
  RunInfo,
  RunRefusal,
  ScoreSignal,
  StaleRule,
  StartRunResult,
} from './ports';
