/**
 * Platform-neutral shapes the bot core works with. `platform/` translates Bot Framework
 * activities into these and back, so nothing outside `platform/` knows the SDK.
 */

/** An Adaptive Card payload (schema 1.5). */
export type AdaptiveCardJson = { type: 'AdaptiveCard'; version: string; body: unknown[]; actions?: unknown[] } & Record<string, unknown>;

/**
 * What the bot keeps to reach a conversation proactively. It is a Bot Framework conversation
 * reference without `user`: Rapport never stores who installed or wrote to the bot.
 */
export interface StoredReference {
  channelId: string;
  serviceUrl: string;
  locale?: string;
  conversation: { id: string; conversationType?: string; tenantId?: string; isGroup?: boolean };
  agent: { id: string; name?: string };
}

export type ConversationScope = 'personal' | 'groupChat' | 'channel';

/** One incoming turn, as the bot core sees it. */
export interface IncomingTurn {
  reference: StoredReference;
  scope: ConversationScope;
  /** The team's id (its General channel's id) for channel conversations. */
  teamId: string | null;
  /** The channel the activity came from (thread suffix removed) for channel conversations. */
  channelConversationId: string | null;
  /** The sender's directory object id; used for admin checks only, never stored. */
  fromAadObjectId: string | null;
  /** The client's locale (`activity.locale`); falls back to the reference's, then en-US. */
  locale?: string | null;
  /** The client's IANA time zone (the `clientInfo` entity's `timezone`), when Teams sends one. */
  timeZone?: string | null;
  /**
   * The sender's display name, shown on a card they changed ("Snoozed by Avery Seller") so the
   * channel sees who did it; never stored.
   */
  fromName?: string | null;
  /**
   * Looks up the sender's email address (else their user principal name) with the connector's
   * conversation-member API: activities carry the sender's ids and name, not their address.
   * Null when the connector does not say. Only `subscribe mine` calls it; set by the platform.
   */
  senderEmail?: () => Promise<string | null>;
}

export type Reply = { text: string } | { card: AdaptiveCardJson };

/** The result of one proactive send: expected failures are values, not exceptions. */
export type SendOutcome =
  | { ok: true; activityId: string | null }
  /** 403 BotNotInConversationRoster / 404 ConversationNotFound: the installation is gone. */
  | { ok: false; reason: 'gone'; status: number; code: string }
  /** 429 (or 503) with the wait the service asked for. */
  | { ok: false; reason: 'throttled'; status: number; retryAfterMs: number | null }
  | { ok: false; reason: 'failed'; status: number | null; message: string };

export interface ProactiveSender {
  sendCard(reference: StoredReference, card: AdaptiveCardJson): Promise<SendOutcome>;
}

/** The key teamsfx uses for a conversation (`_${tenantId}_${conversationId}`); kept for compatibility. */
export function conversationKey(reference: Pick<StoredReference, 'conversation'>): string {
  return `_${reference.conversation.tenantId}_${reference.conversation.id}`;
}

/** Channel conversation ids carry the thread (`19:…@thread.tacv2;messageid=…`); the channel is the part before. */
export function channelOf(conversationId: string): string {
  const i = conversationId.indexOf(';messageid=');
  return i === -1 ? conversationId : conversationId.slice(0, i);
}
