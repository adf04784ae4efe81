/**
 * Bot Framework activity → Rapport's platform-neutral `IncomingTurn`, and the edge check that
 * an incoming body is an activity at all. The Teams SDK hands activities through as they came,
 * so the fields Rapport relies on are checked here with zod before anything runs.
 */
import { z } from 'zod';
import { channelOf, type ConversationScope, type IncomingTurn, type StoredReference } from '../conversation';
import { toStoredReference } from '../installations/installation-store';

const account = z.looseObject({ id: z.string().min(1), name: z.string().optional(), aadObjectId: z.string().optional() });

/** The activity fields Rapport reads; everything else passes through untouched. */
export const activitySchema = z.looseObject({
  type: z.string().min(1),
  id: z.string().optional(),
  channelId: z.string().min(1),
  serviceUrl: z.url({ protocol: /^https?$/ }),
  from: account,
  recipient: account,
  conversation: z.looseObject({
    id: z.string().min(1),
    conversationType: z.string().optional(),
    tenantId: z.string().optional(),
    isGroup: z.boolean().optional(),
  }),
  locale: z.string().optional(),
  text: z.string().optional(),
  name: z.string().optional(),
  action: z.string().optional(),
  replyToId: z.string().optional(),
  value: z.unknown().optional(),
  entities: z.array(z.looseObject({ type: z.string().optional() })).optional(),
  channelData: z.looseObject({}).optional(),
  membersAdded: z.array(z.looseObject({ id: z.string() })).optional(),
  membersRemoved: z.array(z.looseObject({ id: z.string() })).optional(),
});

export type InboundActivity = z.infer<typeof activitySchema>;

interface TeamsChannelData {
  team?: { id?: string };
  channel?: { id?: string };
  eventType?: string;
}

export function teamsChannelData(activity: InboundActivity): TeamsChannelData {
  return (activity.channelData ?? {}) as TeamsChannelData;
}

/** The client's IANA time zone, from the `clientInfo` entity Teams adds to messages and invokes. */
function clientTimeZone(activity: InboundActivity): string | null {
  const info = activity.entities?.find((e) => e.type === 'clientInfo') as { timezone?: unknown } | undefined;
  return typeof info?.timezone === 'string' && info.timezone ? info.timezone : null;
}

export function toTurn(activity: InboundActivity): IncomingTurn | null {
  const raw = toStoredReference({
    channelId: activity.channelId,
    serviceUrl: activity.serviceUrl,
    conversation: activity.conversation,
    agent: activity.recipient,
    ...(activity.locale && { locale: activity.locale }),
  });
  if (!raw) return null;
  const type = activity.conversation.conversationType;
  const scope: ConversationScope = type === 'channel' || type === 'groupChat' ? type : 'personal';
  const channelData = teamsChannelData(activity);
  const channelConversationId = scope === 'channel' ? (channelData.channel?.id ?? channelOf(raw.conversation.id)) : null;
  // Replies use the turn's own conversation; the stored reference points at the channel, not the thread.
  const reference: StoredReference = { ...raw, conversation: { ...raw.conversation, id: channelOf(raw.conversation.id) } };
  return {
    reference,
    scope,
    teamId: channelData.team?.id ?? null,
    channelConversationId,
    fromAadObjectId: activity.from.aadObjectId ?? null,
    locale: activity.locale ?? null,
    timeZone: clientTimeZone(activity),
    fromName: activity.from.name ?? null,
  };
}

/**
 * Where a message shows the bot is installed even if the install event was missed (a restore,
 * an install before this store existed): the conversation itself, or for a channel its team,
 * whose id is the General channel's (as the install event stores it).
 */
export function installationReference(turn: IncomingTurn): StoredReference {
  if (turn.scope !== 'channel' || !turn.teamId) return turn.reference;
  return { ...turn.reference, conversation: { ...turn.reference.conversation, id: turn.teamId } };
}

export type LifecycleEvent = 'installed' | 'uninstalled' | null;

/** Installation changes arrive as `installationUpdate` and, for older clients, as `conversationUpdate`. */
export function lifecycleEvent(activity: InboundActivity): LifecycleEvent {
  const botId = activity.recipient.id;
  switch (activity.type) {
    case 'installationUpdate': {
      const action = activity.action?.toLowerCase();
      if (action === 'add' || action === 'add-upgrade') return 'installed';
      if (action === 'remove') return 'uninstalled';
      return null;
    }
    case 'conversationUpdate': {
      const eventType = teamsChannelData(activity).eventType;
      if (eventType === 'teamDeleted') return 'uninstalled';
      if (eventType === 'teamRestored') return 'installed';
      if (activity.membersRemoved?.some((m) => m.id === botId)) return 'uninstalled';
      if (activity.membersAdded?.some((m) => m.id === botId)) return 'installed';
      return null;
    }
    default:
      return null;
  }
}

/** The text of the bot's @mention in this activity (Teams puts `<at>Name</at>` in the text). */
export function botMentionTexts(activity: InboundActivity): string[] {
  return (activity.entities ?? [])
    .filter((e) => e.type === 'mention' && (e as { mentioned?: { id?: string } }).mentioned?.id === activity.recipient.id)
    .map((e) => (e as { text?: unknown }).text)
    .filter((t): t is string => typeof t === 'string');
}
