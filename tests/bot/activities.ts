/** Bot Framework activities shaped like the ones Teams posts to /api/messages. */
export const BOT = { id: '28:rapport-bot-id', name: 'Rapport' };
export const TENANT_ID = 'tenant-0001';
/** A person in the tenant; their name must never show up in what the bot sends or stores. */
export const SELLER = { id: '29:seller-1', name: 'Avery Seller', aadObjectId: 'aad-seller-1' };
export const ADMIN = { id: '29:admin-1', name: 'Dana Admin', aadObjectId: 'aad-admin-1' };

type From = { id: string; name: string; aadObjectId: string };
let sequence = 0;
const nextId = () => `incoming-${++sequence}`;

function base(serviceUrl: string, conversation: Record<string, unknown>, channelData: Record<string, unknown>, from: From = SELLER) {
  return {
    id: nextId(),
    timestamp: '2026-01-12T09:00:00.000Z',
    channelId: 'msteams',
    serviceUrl,
    from,
    recipient: BOT,
    conversation: { tenantId: TENANT_ID, ...conversation },
    channelData: { tenant: { id: TENANT_ID }, ...channelData },
    locale: 'en-US',
  };
}

export interface ChannelAt {
  teamId: string;
  channelId: string;
}

/** The team's General channel has the team's id. */
export function general(teamId: string): ChannelAt {
  return { teamId, channelId: teamId };
}

function channelConversation(at: ChannelAt, threadId?: string) {
  return {
    conversation: { id: threadId ? `${at.channelId};messageid=${threadId}` : at.channelId, conversationType: 'channel', isGroup: true },
    channelData: { team: { id: at.teamId, name: 'Sales' }, channel: { id: at.channelId, name: at.channelId === at.teamId ? 'General' : 'EMEA' } },
  };
}

/** A channel message that @mentions the bot, as Teams requires in channels. */
export function channelMessage(serviceUrl: string, at: ChannelAt, text: string, from: From = SELLER) {
  const id = nextId();
  const { conversation, channelData } = channelConversation(at, id);
  return {
    ...base(serviceUrl, conversation, channelData, from),
    id,
    type: 'message',
    text: `<at>Rapport</at> ${text}`,
    textFormat: 'plain',
    entities: [{ type: 'mention', text: '<at>Rapport</at>', mentioned: BOT }],
  };
}

export function personalMessage(serviceUrl: string, text: string, from: From = SELLER) {
  return {
    ...base(serviceUrl, { id: `a:personal-${from.aadObjectId}`, conversationType: 'personal' }, {}, from),
    type: 'message',
    text,
    textFormat: 'plain',
  };
}

export function personalConversationId(from: From = SELLER): string {
  return `a:personal-${from.aadObjectId}`;
}

export function groupChatMessage(serviceUrl: string, chatId: string, text: string) {
  return {
    ...base(serviceUrl, { id: chatId, conversationType: 'groupChat', isGroup: true }, {}),
    type: 'message',
    text: `<at>Rapport</at> ${text}`,
    entities: [{ type: 'mention', text: '<at>Rapport</at>', mentioned: BOT }],
  };
}

export function installInTeam(serviceUrl: string, teamId: string, action: 'add' | 'remove' = 'add') {
  const { conversation, channelData } = channelConversation(general(teamId));
  return { ...base(serviceUrl, conversation, { ...channelData, source: null }), type: 'installationUpdate', action };
}

export function installPersonal(serviceUrl: string, action: 'add' | 'remove' = 'add', from: From = SELLER) {
  return { ...base(serviceUrl, { id: personalConversationId(from), conversationType: 'personal' }, {}, from), type: 'installationUpdate', action };
}

export function installInGroupChat(serviceUrl: string, chatId: string, action: 'add' | 'remove' = 'add') {
  return { ...base(serviceUrl, { id: chatId, conversationType: 'groupChat', isGroup: true }, {}), type: 'installationUpdate', action };
}

/** Older clients say it with conversationUpdate: the bot is among the members removed. */
export function botRemovedFromTeam(serviceUrl: string, teamId: string) {
  const { conversation, channelData } = channelConversation(general(teamId));
  return { ...base(serviceUrl, conversation, { ...channelData, eventType: 'teamMemberRemoved' }), type: 'conversationUpdate', membersRemoved: [{ id: BOT.id }] };
}

export function botAddedToTeam(serviceUrl: string, teamId: string) {
  const { conversation, channelData } = channelConversation(general(teamId));
  return { ...base(serviceUrl, conversation, { ...channelData, eventType: 'teamMemberAdded' }), type: 'conversationUpdate', membersAdded: [{ id: BOT.id }] };
}

/** Action.Execute on a card the bot posted in a channel (`replyToId` is that card's message). */
export function cardAction(serviceUrl: string, at: ChannelAt, cardActivityId: string, verb: string, data: Record<string, unknown>, from: From = SELLER) {
  const { conversation, channelData } = channelConversation(at, cardActivityId);
  return {
    ...base(serviceUrl, conversation, channelData, from),
    type: 'invoke',
    name: 'adaptiveCard/action',
    replyToId: cardActivityId,
    value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' },
  };
}
