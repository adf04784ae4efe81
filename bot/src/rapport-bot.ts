/**
 * What Rapport does with each kind of turn, independent of the bot SDK: the platform module
 * calls these methods and sends the replies.
 */
import { handleCardAction, type CardActionVerb } from './actions/card-actions';
import type { AccountMarks } from './actions/account-marks';
import { findCommand, helpReply } from './commands/registry';
import { splitCommand, type CommandDeps } from './commands/command';
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

const WELCOME_TEXT = [
  "Hi, I'm **Rapport**. I turn your team's Microsoft 365 mail and meeting activity into engagement scores per customer account: aggregates only, never anyone's individual mail or calendar.",
  'Every week I post a summary here. In a channel, `subscribe` gets you an alert when an account goes stale.',
  'Type `help` to see everything I can do.',
].join('\n\n');

export class RapportBot {
  private readonly commandDeps: CommandDeps;

  constructor(private readonly deps: RapportBotDeps) {
    this.commandDeps = deps;
  }

  /** A message: run the command it names, or answer with help. */
  async onMessage(text: string, turn: IncomingTurn): Promise<Reply> {
    const { name, args } = splitCommand(text);
    if (!name) return helpReply();
    const command = findCommand(name);
    if (!command) return helpReply(name);
    this.deps.logger.info('command', { command: command.name, scope: turn.scope });
    return command.run({ turn, args, deps: this.commandDeps });
  }

  /** The bot was added to a team, chat or personal scope: store it and welcome once. */
  async onInstalled(turn: IncomingTurn): Promise<Reply | null> {
    const key = conversationKey(turn.reference);
    await this.deps.installations.add(key, turn.reference, { overwrite: true });
    this.deps.logger.info('installed', { conversationKey: key, scope: turn.scope });
    return (await this.deps.installations.markWelcomed(key)) ? { text: WELCOME_TEXT } : null;
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
