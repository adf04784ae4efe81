/**
 * What Rapport does with each kind of turn, independent of the bot SDK: the platform module
 * calls these methods and sends the replies.
 */
import { handleCardAction, type CardActionVerb } from './actions/card-actions';
import type { AccountMarks } from './actions/account-marks';
import { answerMessage, welcomeReply } from './commands/registry';
import type { CommandDeps } from './commands/command';
import { conversationKey, type IncomingTurn, type Reply } from './conversation';
import type { InstallationStore } from './installations/installation-store';
import type { EngagementPort, Logger } from './ports';

export interface RapportBotDeps {
  engagement: EngagementPort;
  installations: InstallationStore;
  marks: AccountMarks;
  clock: () => Date;
  logger: Logger;
}

export class RapportBot {
  private readonly commandDeps: CommandDeps;

  constructor(private readonly deps: RapportBotDeps) {
    this.commandDeps = deps;
  }

  /** A message: run the command it names (in any supported language), or answer with help. */
  onMessage(text: string, turn: IncomingTurn): Promise<Reply> {
    return answerMessage(text, turn, this.commandDeps);
  }

  /** The bot was added to a team, chat or personal scope: store it and welcome once. */
  async onInstalled(turn: IncomingTurn): Promise<Reply | null> {
    const key = conversationKey(turn.reference);
    await this.deps.installations.add(key, turn.reference, { overwrite: true });
    this.deps.logger.info('installed', { conversationKey: key, scope: turn.scope });
    return (await this.deps.installations.markWelcomed(key)) ? welcomeReply(turn) : null;
  }

  async onUninstalled(turn: IncomingTurn): Promise<void> {
    const key = conversationKey(turn.reference);
    await this.deps.installations.remove(key);
    this.deps.logger.info('uninstalled', { conversationKey: key, scope: turn.scope });
  }

  /** Every activity carries the conversation's current service URL. */
  async onActivity(turn: IncomingTurn): Promise<void> {
    const keys = [conversationKey(turn.reference)];
    if (turn.channelConversationId) keys.push(conversationKey({ conversation: { ...turn.reference.conversation, id: turn.channelConversationId } }));
    const changed = await this.deps.installations.refreshServiceUrl(turn.reference.serviceUrl, keys, turn.teamId);
    if (changed > 0) this.deps.logger.info('service URL refreshed', { conversations: changed });
  }

  onCardAction(verb: CardActionVerb, data: unknown, turn: IncomingTurn): Promise<Reply> {
    return handleCardAction(verb, data, turn, this.deps);
  }
}
