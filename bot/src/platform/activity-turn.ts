/** Bot Framework activity → Rapport's platform-neutral `IncomingTurn`. */
import type { Activity, ConversationReference } from '@microsoft/agents-activity';
import { channelOf, type ConversationScope, type IncomingTurn, type StoredReference } from '../conversation';
import { toStoredReference } from '../installations/installation-store';

interface TeamsChannelData {
  team?: { id?: string };
  channel?: { id?: string };
  eventType?: string;
}

export function teamsChannelData(activity: Activity): TeamsChannelData {
  return (activity.channelData ?? {}) as TeamsChannelData;
}

export function toTurn(activity: Activity): IncomingTurn | null {
  const raw = toStoredReference({ ...activity.getConversationReference(), agent: activity.recipient ?? null });
  if (!raw) return null;
  const type = activity.conversation?.conversationType;
  const scope: ConversationScope = type === 'channel' || type === 'groupChat' ? type : 'personal';
  const channelData = teamsChannelData(activity);
  const channelConversationId = scope === 'channel' ? (channelData.channel?.id ?? channelOf(raw.conversation.id)) : null;
  // Replies use the turn context; the stored reference points at the channel, not the thread.
  const reference: StoredReference = { ...raw, conversation: { ...raw.conversation, id: channelOf(raw.conversation.id) } };
  return {
    reference,
    scope,
    teamId: channelData.team?.id ?? null,
    channelConversationId,
    fromAadObjectId: activity.from?.aadObjectId ?? null,
  };
}

export function toConversationReference(reference: StoredReference): ConversationReference {
  return {
    channelId: reference.channelId,
    serviceUrl: reference.serviceUrl,
    conversation: { ...reference.conversation },
    agent: { ...reference.agent },
    ...(reference.locale && { locale: reference.locale }),
  };
}

export type LifecycleEvent = 'installed' | 'uninstalled' | null;

/** Installation changes arrive as `installationUpdate` and, for older clients, as `conversationUpdate`. */
export function lifecycleEvent(activity: Activity): LifecycleEvent {
  const botId = activity.recipient?.id;
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
      if (botId && activity.membersRemoved?.some((m) => m.id === botId)) return 'uninstalled';
      if (botId && activity.membersAdded?.some((m) => m.id === botId)) return 'installed';
      return null;
    }
    default:
      return null;
  }
}
