/**
 * The one place that knows the bot SDK: the Teams SDK (`@microsoft/teams.apps` 2.x) behind
 * Rapport's own Express app. The rest of bot/ sees `RapportBot`, `IncomingTurn`, `Reply`,
 * `ProactiveSender` and the message-extension port only.
 *
 * The SDK normally runs its own Express server; here it gets a capturing HTTP adapter instead
 * (`IHttpServerAdapter`, the SDK's transport seam): the SDK registers its messaging route with
 * it, and Rapport's `POST /api/messages` handler parses, authenticates and validates the
 * request, then hands the activity to that route with the identity it established, so the SDK
 * never listens on a port and never runs its own token check (bot-framework-auth.ts says why).
 */
import type { AdaptiveCardActionErrorResponse, AdaptiveCardActionResponse } from '@microsoft/teams.api';
import { App, type AppOptions, type IHttpServerAdapter, type HttpRouteHandler, type IPlugin } from '@microsoft/teams.apps';
import express, { type RequestHandler, type Response } from 'express';
import { CARD_ACTION_VERBS, type CardActionVerb } from '../actions/card-actions';
import { commandText } from '../commands/command';
import { conversationKey, type AdaptiveCardJson, type IncomingTurn, type ProactiveSender, type Reply, type SendOutcome, type StoredReference } from '../conversation';
import type { InstallationStore } from '../installations/installation-store';
import type { AccountCardResult, Logger, MessageExtensionHandlers } from '../ports';
import type { RapportBot } from '../rapport-bot';
import { activitySchema, botMentionTexts, installationReference, lifecycleEvent, toTurn, type InboundActivity } from './activity-turn';
import { createBotFrameworkVerifier, remoteSigningKeys, type AuthResult, type BotFrameworkVerifier, type SigningKeySource } from './bot-framework-auth';
import { classifySendError } from './send-outcome';
import { botCredentialKind, sdkCredentials } from './bot-credentials';

export interface BotAuthOptions {
  /**
   * The bot's Microsoft App ID. When set, every request must carry a valid Bot Framework token
   * for it, in any mode; unset (demo mode only), requests are anonymous and replies carry no token.
   */
  botId?: string;
  /** The bot's client secret, for the tokens of outgoing calls. With `botId`, this or `managedIdentityClientId`. */
  botPassword?: string;
  /** Secretless: the user-assigned managed identity a federated credential on the bot app trusts (bot-credentials.ts). */
  managedIdentityClientId?: string;
  /** The tenant of the single-tenant bot registration (BOT_TENANT_ID). */
  tenantId?: string;
  /** Production refuses to start without `botId` and a password or a managed identity. */
  production: boolean;
  /** Bot Framework signing keys. @default the published JWKS (login.botframework.com) */
  signingKeys?: SigningKeySource;
}

export interface Platform {
  handler: RequestHandler;
  sender: ProactiveSender;
}

export interface PlatformOptions {
  auth: BotAuthOptions;
  bot: RapportBot;
  installations: InstallationStore;
  extensions: MessageExtensionHandlers;
  logger: Logger;
  clock: () => Date;
}

/** The message extension's search command, as the manifest declares it. */
export const SEARCH_COMMAND_ID = 'searchAccounts';
export const SEARCH_PARAMETER = 'query';
/** Teams asks for 25 results by default; a page never holds more. */
const MAX_RESULTS = 25;
const DEFAULT_LOCALE = 'en-US';
const SORRY = 'Sorry, something went wrong on my side. Please try again in a moment.';
const ADAPTIVE = 'application/vnd.microsoft.card.adaptive';

/** Checks the auth options once, at start: a half-configured bot must not run. */
export function checkAuthOptions(auth: BotAuthOptions): void {
  botCredentialKind(auth);
}

/** Captures the SDK's messaging route instead of listening. */
class ExpressRouteCapture implements IHttpServerAdapter {
  messaging: HttpRouteHandler | null = null;

  constructor(private readonly path: string) {}

  registerRoute(_method: 'POST', path: string, handler: HttpRouteHandler): void {
    if (path === this.path) this.messaging = handler;
  }
}

/** SDK log lines → Rapport's logger: warnings and errors only, as plain text (the SDK may log whole activities at debug). */
function sdkLogger(logger: Logger): NonNullable<AppOptions<IPlugin>['logger']> {
  const text = (msg: unknown[]) => msg.map((m) => (m instanceof Error ? m.message : typeof m === 'string' ? m : '')).filter(Boolean).join(' ');
  const self: NonNullable<AppOptions<IPlugin>['logger']> = {
    debug: () => undefined,
    info: () => undefined,
    trace: () => undefined,
    warn: (...msg: unknown[]) => {
      const line = text(msg);
      // The SDK's own HTTP check is never used (requests reach it through `handler`, checked by
      // bot-framework-auth.ts), so its warning that it would refuse them all misleads operators.
      if (line.startsWith('No credentials configured and dangerouslyAllowUnauthenticatedRequests')) return;
      logger.warn(`teams sdk: ${line}`);
    },
    error: (...msg: unknown[]) => logger.error(`teams sdk: ${text(msg)}`),
    log: (level: string, ...msg: unknown[]) => (level === 'error' ? self.error(...msg) : level === 'warn' ? self.warn(...msg) : undefined),
    child: () => self,
  };
  return self;
}

type OutgoingMessage = { type: 'message'; text?: string; attachments?: { contentType: string; content: AdaptiveCardJson }[]; replyToId?: string };

/**
 * A reply to `replyTo` (the incoming activity): it lands in that message's thread in a channel.
 * Not the SDK's `ctx.reply`, which quotes the user's message in the answer.
 */
function toActivity(reply: Reply, replyTo?: string): OutgoingMessage {
  const message: OutgoingMessage = 'card' in reply ? { type: 'message', attachments: [{ contentType: ADAPTIVE, content: reply.card }] } : { type: 'message', text: reply.text };
  if (replyTo) message.replyToId = replyTo;
  return message;
}

function localeOf(activity: InboundActivity): string {
  return activity.locale?.trim() || DEFAULT_LOCALE;
}

/** A message-extension result list (`composeExtension` of type `result`). */
function extensionResult(results: AccountCardResult[]) {
  return {
    composeExtension: {
      type: 'result' as const,
      attachmentLayout: 'list' as const,
      attachments: results.map((r) => ({
        contentType: ADAPTIVE,
        content: r.card,
        preview: { contentType: 'application/vnd.microsoft.card.thumbnail', content: { title: r.preview.title, ...(r.preview.text && { text: r.preview.text }) } },
      })),
    },
  };
}

/** The search text of a `composeExtension/query`: the `query` parameter, or empty on the initial run. */
export function searchText(value: unknown): string {
  const parameters = (value as { parameters?: unknown } | null)?.parameters;
  if (!Array.isArray(parameters)) return '';
  const initialRun = parameters.some((p: { name?: unknown }) => p?.name === 'initialRun');
  const query = parameters.find((p: { name?: unknown }) => p?.name === SEARCH_PARAMETER) as { value?: unknown } | undefined;
  return initialRun || typeof query?.value !== 'string' ? '' : query.value.trim();
}

export function createTeamsPlatform(options: PlatformOptions): Platform {
  const { auth, bot, installations, extensions, logger } = options;
  checkAuthOptions(auth);
  const verify: BotFrameworkVerifier | null = auth.botId
    ? createBotFrameworkVerifier({ botId: auth.botId, keys: auth.signingKeys ?? remoteSigningKeys(), clock: options.clock })
    : null;

  const capture = new ExpressRouteCapture('/api/messages');
  // Credentials are always passed explicitly (bot-credentials.ts says why).
  const app = new App({
    ...sdkCredentials(auth),
    httpServerAdapter: capture,
    messagingEndpoint: '/api/messages',
    logger: sdkLogger(logger),
    // Never the SDK's own check: requests reach it only through `handler` below, pre-authenticated.
    dangerouslyAllowUnauthenticatedRequests: false,
    activity: { mentions: { stripText: false } },
  });
  const ready = app.initialize();

  /** The turn of the activity being processed (the SDK context carries the raw activity). */
  const turnOf = (activity: unknown): IncomingTurn | null => toTurn(activity as InboundActivity);

  // Every activity carries the conversation's current service URL; a message shows the bot is
  // installed there even if the install event was missed.
  app.use(async (ctx) => {
    const activity = ctx.activity as unknown as InboundActivity;
    const turn = activity.type === 'event' ? null : turnOf(activity);
    if (turn) {
      await bot.onActivity(turn);
      if (activity.type === 'message') {
        const reference = installationReference(turn);
        await installations.add(conversationKey(reference), reference, { overwrite: false });
      }
    }
    return ctx.next();
  });

  const onLifecycle = async (ctx: { activity: unknown; send(activity: ReturnType<typeof toActivity>): Promise<unknown> }) => {
    const activity = ctx.activity as InboundActivity;
    const turn = turnOf(activity);
    if (!turn) return;
    switch (lifecycleEvent(activity)) {
      case 'installed': {
        const welcome = await bot.onInstalled(turn);
        if (welcome) await ctx.send(toActivity(welcome, activity.id));
        return;
      }
      case 'uninstalled':
        await bot.onUninstalled(turn);
        return;
      case null:
        return;
    }
  };
  app.on('installationUpdate', onLifecycle);
  app.on('conversationUpdate', onLifecycle);

  app.on('message', async (ctx) => {
    const activity = ctx.activity as unknown as InboundActivity;
    const turn = turnOf(activity);
    if (!turn) return;
    // The connector's member API knows the sender's address (TeamsInfo.getMember in the old SDK).
    turn.senderEmail = async () => {
      try {
        const member = await ctx.api.conversations.getMemberById(activity.conversation.id, activity.from.id);
        return member.email?.trim() || member.userPrincipalName?.trim() || null;
      } catch (e) {
        logger.warn('sender address not available from the connector', { outcome: classifySendError(e) });
        return null;
      }
    };
    const text = commandText(activity.text, botMentionTexts(activity));
    // A card submit, or a card a user inserted (message extension, unfurled link) into the chat
    // with the bot: no text, nothing asked; answering with the help list would be noise.
    const attachments = (activity as { attachments?: unknown }).attachments;
    if (!text && (activity.value !== undefined || (Array.isArray(attachments) && attachments.length > 0))) return;
    let reply: Reply;
    try {
      reply = await bot.onMessage(text, turn);
    } catch (e) {
      logger.error('turn failed', { activityType: activity.type, error: (e as Error).message });
      reply = { text: SORRY };
    }
    await ctx.send(toActivity(reply, activity.id));
  });

  const cardError = (statusCode: 400 | 500, code: string, message: string): AdaptiveCardActionErrorResponse => ({
    statusCode,
    type: 'application/vnd.microsoft.error',
    value: { code, message, innerHttpError: { statusCode, body: null } },
  });

  app.on('card.action', async (ctx): Promise<AdaptiveCardActionResponse> => {
    const activity = ctx.activity as unknown as InboundActivity;
    const action = (activity.value as { action?: { verb?: unknown; data?: unknown } } | undefined)?.action;
    const verb = typeof action?.verb === 'string' ? action.verb : '';
    const turn = turnOf(activity);
    if (!(CARD_ACTION_VERBS as readonly string[]).includes(verb)) {
      return cardError(400, 'BadRequest', 'This card action is not known; the card may be out of date.');
    }
    if (!turn) return cardError(400, 'BadRequest', 'The action did not come from a conversation.');
    try {
      const reply = await bot.onCardAction(verb as CardActionVerb, action?.data, turn);
      if (!('card' in reply)) return { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: reply.text };
      // The card changes for everyone in the conversation (it shows who snoozed or handled it),
      // not only for the person who pressed the button.
      if (activity.replyToId) {
        await ctx.api.conversations
          .updateActivity(activity.conversation.id, activity.replyToId, { type: 'message', attachments: [{ contentType: ADAPTIVE, content: reply.card }] } as never)
          .catch((e: unknown) => logger.warn('card update for everyone failed', { verb, outcome: classifySendError(e) }));
      }
      // Rapport's cards are plain Adaptive Card JSON (validated at 1.5 in tests), not the SDK's builder type.
      return { statusCode: 200, type: ADAPTIVE, value: reply.card as never };
    } catch (e) {
      logger.error('card action failed', { verb, error: (e as Error).message });
      return cardError(500, 'InternalServerError', 'Something went wrong; try again in a moment.');
    }
  });

  app.on('message.ext.query', async (ctx) => {
    const activity = ctx.activity as unknown as InboundActivity;
    const value = activity.value as { commandId?: unknown; queryOptions?: { count?: unknown } } | undefined;
    if (value?.commandId !== SEARCH_COMMAND_ID) return { status: 400, body: { error: { code: 'BadRequest', message: 'Unknown search command.' } } } as never;
    const count = typeof value.queryOptions?.count === 'number' && value.queryOptions.count > 0 ? Math.min(value.queryOptions.count, MAX_RESULTS) : MAX_RESULTS;
    try {
      const results = await extensions.searchAccounts(searchText(value), localeOf(activity), count);
      return extensionResult(results.slice(0, count));
    } catch (e) {
      logger.error('message extension search failed', { error: (e as Error).message });
      return { status: 500, body: { error: { code: 'InternalServerError', message: 'The search failed; try again in a moment.' } } } as never;
    }
  });

  app.on('message.ext.query-link', async (ctx) => {
    const activity = ctx.activity as unknown as InboundActivity;
    const url = (activity.value as { url?: unknown } | undefined)?.url;
    try {
      const result = typeof url === 'string' ? await extensions.unfurl(url, localeOf(activity)) : null;
      // Nothing to unfurl: Teams shows the plain link.
      return extensionResult(result ? [result] : []);
    } catch (e) {
      logger.error('link unfurling failed', { error: (e as Error).message });
      return extensionResult([]);
    }
  });

  app.event('error', ({ error }) => logger.error('bot turn failed', { error: error.message }));

  const jsonBody = express.json({ limit: '1mb' });

  const handler: RequestHandler = async (req, res) => {
    try {
      // The API app parses the body before this handler; tests mount the handler alone.
      if (req.body === undefined) await new Promise<void>((resolve, reject) => jsonBody(req, res, (err?: unknown) => (err ? reject(err) : resolve())));
      const body: unknown = req.body;
      let auth: AuthResult = { ok: true, serviceUrl: '', appId: '' };
      if (verify) {
        auth = await verify(req.headers.authorization, (body ?? {}) as { serviceUrl?: unknown; channelId?: unknown });
        if (!auth.ok) {
          logger.warn('bot request refused', { reason: auth.reason });
          unauthorized(res, auth);
          return;
        }
      }
      const parsed = activitySchema.safeParse(body);
      if (!parsed.success) {
        res.status(400).json({ error: { code: 'VALIDATION_FAILED', message: 'The request is not a valid Bot Framework activity.' } });
        return;
      }
      await ready;
      if (!capture.messaging) throw new Error('the Teams SDK registered no messaging route');
      const activity = parsed.data;
      const token = { appId: auth.ok ? auth.appId : '', from: 'azure' as const, fromId: '', serviceUrl: activity.serviceUrl, isExpired: () => false };
      const response = await capture.messaging({ body: req.body as unknown, headers: {}, token: token as never });
      if (response.status >= 500) {
        res.status(500).json({ error: { code: 'INTERNAL', message: 'Something went wrong on our side.' } });
        return;
      }
      if (response.body === undefined || response.body === null) res.status(response.status).end();
      else res.status(response.status).json(response.body);
    } catch (e) {
      logger.error('bot request failed', { error: (e as Error).message });
      if (res.headersSent) return;
      if ((e as { type?: string }).type === 'entity.parse.failed') res.status(400).json({ error: { code: 'VALIDATION_FAILED', message: 'The request body is not valid JSON.' } });
      else res.status(500).json({ error: { code: 'INTERNAL', message: 'Something went wrong on our side.' } });
    }
  };

  const sender: ProactiveSender = {
    async sendCard(reference: StoredReference, card: AdaptiveCardJson): Promise<SendOutcome> {
      try {
        await ready;
        const api = app.api.clone({ serviceUrl: reference.serviceUrl });
        const sent = await api.conversations.createActivity(reference.conversation.id, {
          type: 'message',
          from: { id: reference.agent.id, ...(reference.agent.name && { name: reference.agent.name }), role: 'bot' },
          conversation: { ...reference.conversation },
          attachments: [{ contentType: ADAPTIVE, content: card }],
        } as never);
        return { ok: true, activityId: (sent as { id?: string } | undefined)?.id ?? null };
      } catch (e) {
        return classifySendError(e);
      }
    },
  };

  return { handler, sender };
}

/** The API's error shape and an RFC 6750 challenge; the reason is ours, never an internal error's text. */
function unauthorized(res: Response, auth: Extract<AuthResult, { ok: false }>): void {
  const challenge = auth.reason === 'missing' ? 'Bearer realm="Rapport"' : `Bearer realm="Rapport", error="invalid_token", error_description="${auth.message.replace(/["\\]/g, "'")}"`;
  res.setHeader('WWW-Authenticate', challenge);
  res.status(401).json({ error: { code: 'UNAUTHENTICATED', message: auth.message, details: { reason: auth.reason } } });
}
