/**
 * Rapport's Teams bot: `createBot(deps)` returns the Express handler for `POST /api/messages`
 * and the notifier the scheduler calls after each run.
 *
 * @example
 * ```ts
 * const store = await LowdbDocument.open(path.join(dataDir, 'bot.json'), defaultBotState, botStateSchema);
 * const { handler, notifier } = createBot({ auth: { botId, botPassword, tenantId, production }, store, engagement, logger, mapBounded });
 * // With a bot id, every request must carry a Bot Framework token for it (platform/bot-framework-auth.ts).
 * app.post('/api/messages', handler);
 * // after a run: await notifier.afterRun({ previous, current, run });
 * ```
 */
import type { RequestHandler } from 'express';
import { AccountMarks } from './actions/account-marks';
import { createMessageExtensions } from './extensions';
import { InstallationStore } from './installations/installation-store';
import { DeliveryLedger } from './notifications/delivery-ledger';
import { DEFAULT_DELIVERY, type DeliveryOptions } from './notifications/fan-out';
import { RunNotifier } from './notifications/notifier';
import { createTeamsPlatform, type BotAuthOptions } from './platform/teams-platform';
import type { BotStateStore, EngagementPort, Logger, MapBounded, MessageExtensionDeps, MessageExtensionHandlers, Notifier } from './ports';
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
  /** The message extension's logic. @default createMessageExtensions (bot/src/extensions) */
  messageExtensions?: (deps: MessageExtensionDeps) => MessageExtensionHandlers;
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
  const extensions = (deps.messageExtensions ?? createMessageExtensions)({ engagement: deps.engagement, clock, logger });
  const { handler, sender } = createTeamsPlatform({ auth: deps.auth, bot, installations, extensions, logger, clock });
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
    // Holds the summaries of conversations that chose a day and hour until then (deliverDue).
    store: deps.store,
  });
  return { handler, notifier };
}

export { BotConfigError, isBotConfigError } from './errors';
export { botStateSchema, defaultBotState, type BotState } from './state';
export type { BotAuthOptions } from './platform/teams-platform';
export type { SigningKeySource, BotFrameworkJwk } from './platform/bot-framework-auth';
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
  MessageExtensionDeps,
  MessageExtensionHandlers,
  AccountCardResult,
  Notifier,
  RunInfo,
  RunRefusal,
  ScoreSignal,
  StaleRule,
  StartRunResult,
} from './ports';
