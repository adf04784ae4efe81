/**
 * The one place that knows the bot SDK: `@microsoft/teamsfx`'s ConversationBot (commands,
 * notifications, card actions) on agents-hosting 0.6's CloudAdapter. Moving to the Agents SDK
 * replaces this folder; the rest of bot/ sees `RapportBot`, `IncomingTurn`, `Reply` and
 * `ProactiveSender` only.
 */
import type { Activity } from '@microsoft/agents-activity';
import { authorizeJWT, CardFactory, MessageFactory, type AuthConfiguration, type AuthProvider, type Request as AgentsRequest, type TurnContext } from '@microsoft/agents-hosting';
import {
  AdaptiveCardResponse,
  AgentBuilderCloudAdapter,
  InvokeResponseErrorCode,
  InvokeResponseFactory,
  type TeamsFxAdaptiveCardActionHandler,
  type TeamsFxBotCommandHandler,
} from '@microsoft/teamsfx';
import express, { type RequestHandler, type Response } from 'express';
import { CARD_ACTION_VERBS } from '../actions/card-actions';
import { commandText } from '../commands/command';
import { COMMANDS } from '../commands/registry';
import type { AdaptiveCardJson, ProactiveSender, Reply, SendOutcome, StoredReference } from '../conversation';
import { BotConfigError } from '../errors';
import type { InstallationStore } from '../installations/installation-store';
import type { Logger } from '../ports';
import type { RapportBot } from '../rapport-bot';
import { lifecycleEvent, toConversationReference, toTurn } from './activity-turn';
import { ConnectorHttpError, RapportCloudAdapter } from './rapport-cloud-adapter';

export interface BotAuthOptions {
  /** The bot's Microsoft App ID. Required in production. */
  botId?: string;
  botPassword?: string;
  /** Set for a single-tenant bot registration. */
  tenantId?: string;
  /** Production validates the Bot Framework JWT of every request; otherwise requests are anonymous. */
  production: boolean;
}

export interface Platform {
  handler: RequestHandler;
  sender: ProactiveSender;
}

const ANSWERED = 'rapport.answered';
const AUTHORITY = 'https://login.microsoftonline.com';

/** Demo and tests: no token is requested for outgoing calls, and none is checked on incoming ones. */
const anonymousTokens: AuthProvider = { getAccessToken: () => Promise.resolve('') };

export function authConfiguration(auth: BotAuthOptions): AuthConfiguration {
  if (auth.production && (!auth.botId || !auth.botPassword)) {
    throw new BotConfigError('The bot needs its app id and password (BOT_ID, BOT_PASSWORD) in production.');
  }
  if (!auth.production) return { clientId: '', issuers: [] };
  return {
    clientId: auth.botId!,
    clientSecret: auth.botPassword!,
    ...(auth.tenantId && { tenantId: auth.tenantId }),
    authority: AUTHORITY,
    issuers: ['https://api.botframework.com', ...(auth.tenantId ? [`https://sts.windows.net/${auth.tenantId}/`, `${AUTHORITY}/${auth.tenantId}/v2.0`] : [])],
  };
}

function toActivity(reply: Reply): Partial<Activity> {
  return 'card' in reply ? MessageFactory.attachment(CardFactory.adaptiveCard(reply.card)) : MessageFactory.text(reply.text);
}

export function createTeamsFxPlatform(options: { auth: BotAuthOptions; bot: RapportBot; installations: InstallationStore; logger: Logger }): Platform {
  const { auth, bot, installations, logger } = options;
  const authConfig = authConfiguration(auth);
  const adapter = new RapportCloudAdapter(authConfig, auth.production ? undefined : anonymousTokens);
  adapter.onTurnError = async (context, error) => {
    logger.error('turn failed', { activityType: context.activity.type, error: error.message });
    if (context.activity.type === 'message') {
      await context.sendActivity('Sorry, something went wrong on my side. Please try again in a moment.').catch(() => undefined);
    }
  };

  const commands: TeamsFxBotCommandHandler[] = COMMANDS.map((command) => ({
    triggerPatterns: new RegExp(`^\\s*/?${command.name}(?:\\s|$)`, 'i'),
    handleCommandReceived: async (context: TurnContext) => {
      const turn = toTurn(context.activity);
      if (!turn) return;
      context.turnState.set(ANSWERED, true);
      return toActivity(await bot.onMessage(commandText(context.activity.text), turn));
    },
  }));

  const cardActions: TeamsFxAdaptiveCardActionHandler[] = CARD_ACTION_VERBS.map((verb) => ({
    triggerVerb: verb,
    // The alert changes for everyone in the channel: it shows it was snoozed or handled.
    adaptiveCardResponse: AdaptiveCardResponse.ReplaceForAll,
    handleActionInvoked: async (context: TurnContext, data: unknown) => {
      const turn = toTurn(context.activity);
      if (!turn) return InvokeResponseFactory.errorResponse(InvokeResponseErrorCode.BadRequest, 'The action did not come from a conversation.');
      try {
        const reply = await bot.onCardAction(verb, data, turn);
        return 'card' in reply ? InvokeResponseFactory.adaptiveCard(reply.card) : InvokeResponseFactory.textMessage(reply.text);
      } catch (e) {
        logger.error('card action failed', { verb, error: (e as Error).message });
        return InvokeResponseFactory.errorResponse(InvokeResponseErrorCode.InternalServerError, 'Something went wrong; try again in a moment.');
      }
    },
  }));

  // Registered before the teamsfx middlewares: a reply must already go to the current service URL.
  adapter.use({
    onTurn: async (context: TurnContext, next: () => Promise<void>) => {
      const turn = context.activity.type === 'event' ? null : toTurn(context.activity);
      if (turn) await bot.onActivity(turn);
      await next();
    },
  });

  const conversationBot = new AgentBuilderCloudAdapter.ConversationBot({
    adapter,
    command: { enabled: true, commands },
    notification: { enabled: true, store: installations, ...(auth.botId && { botAppId: auth.botId }) },
    cardAction: { enabled: true, actions: cardActions },
  });
  const notification = conversationBot.notification!;

  /** Runs after the teamsfx middlewares: lifecycle, and messages no command took. */
  const logic = async (context: TurnContext): Promise<void> => {
    const turn = toTurn(context.activity);
    if (!turn) return;
    switch (lifecycleEvent(context.activity)) {
      case 'installed': {
        const welcome = await bot.onInstalled(turn);
        if (welcome) await context.sendActivity(toActivity(welcome) as Activity);
        return;
      }
      case 'uninstalled':
        await bot.onUninstalled(turn);
        return;
      case null:
        break;
    }
    if (context.activity.type === 'message' && !context.turnState.get(ANSWERED)) {
      const text = commandText(context.activity.text);
      if (!text && context.activity.value !== undefined) return; // a card submit without text: nothing to answer
      await context.sendActivity(toActivity(await bot.onMessage(text, turn)) as Activity);
    }
  };

  const jsonBody = express.json({ limit: '1mb' });
  const checkJwt = auth.production ? authorizeJWT(authConfig) : null;

  const handler: RequestHandler = async (req, res) => {
    challengeOn401(res);
    try {
      await new Promise<void>((resolve, reject) => jsonBody(req, res, (err?: unknown) => (err ? reject(err) : resolve())));
      if (checkJwt) {
        await checkJwt(req as unknown as AgentsRequest, res, () => undefined);
        if (res.headersSent) return;
        // The token names the service URL it was issued for; replies must not go anywhere else.
        const claimed = (req as { user?: { serviceurl?: unknown } }).user?.serviceurl;
        const body = req.body as { serviceUrl?: unknown } | undefined;
        if (typeof claimed === 'string' && claimed !== body?.serviceUrl) {
          res.status(401).json({ error: { code: 'UNAUTHENTICATED', message: 'The activity does not match the token it carries.' } });
          return;
        }
      }
      if (!req.body || typeof req.body !== 'object') {
        res.status(400).json({ error: { code: 'VALIDATION_FAILED', message: 'Send a Bot Framework activity as JSON.' } });
        return;
      }
      await conversationBot.requestHandler(req as unknown as AgentsRequest, res, logic);
    } catch (e) {
      logger.error('bot request failed', { error: (e as Error).message });
      if (res.headersSent) return;
      const invalid = (e as { name?: string; type?: string }).name === 'ZodError' || (e as { type?: string }).type === 'entity.parse.failed';
      if (invalid) res.status(400).json({ error: { code: 'VALIDATION_FAILED', message: 'The request is not a valid Bot Framework activity.' } });
      else res.status(500).json({ error: { code: 'INTERNAL', message: 'Something went wrong on our side.' } });
    }
  };

  const sender: ProactiveSender = {
    async sendCard(reference: StoredReference, card: AdaptiveCardJson): Promise<SendOutcome> {
      try {
        const installation = notification.buildTeamsBotInstallation(toConversationReference(reference));
        if (!installation) return { ok: false, reason: 'failed', status: null, message: 'The stored reference is not usable.' };
        const { id } = await installation.sendAdaptiveCard(card);
        return { ok: true, activityId: id ?? null };
      } catch (e) {
        return classifySendError(e);
      }
    },
  };

  return { handler, sender };
}

export function classifySendError(e: unknown): SendOutcome {
  if (e instanceof ConnectorHttpError) {
    if ((e.status === 403 && e.code === 'BotNotInConversationRoster') || (e.status === 404 && e.code === 'ConversationNotFound')) {
      return { ok: false, reason: 'gone', status: e.status, code: e.code };
    }
    if (e.status === 429 || (e.status === 503 && e.retryAfterMs !== null)) return { ok: false, reason: 'throttled', status: e.status, retryAfterMs: e.retryAfterMs };
    return { ok: false, reason: 'failed', status: e.status, message: e.message };
  }
  return { ok: false, reason: 'failed', status: null, message: (e as Error)?.message ?? String(e) };
}

/**
 * Every 401 of the bot endpoint carries a `WWW-Authenticate` challenge (RFC 6750), including the
 * ones the SDK's JWT middleware writes itself: the header is added when the status line is.
 */
function challengeOn401(res: Response): void {
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => Response;
  res.writeHead = ((statusCode: number, ...rest: unknown[]) => {
    if (statusCode === 401 && !res.getHeader('WWW-Authenticate')) res.setHeader('WWW-Authenticate', 'Bearer realm="Rapport", error="invalid_token"');
    return writeHead(statusCode, ...rest);
  }) as Response['writeHead'];
}
