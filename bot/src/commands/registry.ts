/**
 * Every command with its words, scopes and descriptions: help, the id-ID aliases and the
 * manifest's command lists (E1 generates or tests appPackage/ against `manifestCommands`) all
 * read from here, so what the manifest promises is what the bot does.
 */
import { conversationKey, type IncomingTurn, type Reply } from '../conversation';
import { clip, ENGLISH, messagesFor, type BotLocale, type Lang } from '../i18n';
import { scoreCommand, staleCommand, summaryCommand, topCommand } from './account-commands';
import { runCommand, statusCommand, subscribeCommand, unsubscribeCommand } from './channel-commands';
import { langOf, splitCommand, type CommandDefinition, type CommandDeps, type ManifestScope } from './command';
import { settingsCommand } from './settings-command';

export const helpCommand: CommandDefinition = {
  name: 'help',
  aliases: ['bantuan', 'tolong', '?'],
  scopes: ['personal', 'team', 'groupChat'],
  run: (context) => Promise.resolve(helpReply(undefined, context.lang ?? langOf(context.turn))),
};

/** Every command, in the order help lists them. Teams shows at most 10 per scope. */
export const COMMANDS: readonly CommandDefinition[] = [
  helpCommand,
  scoreCommand,
  topCommand,
  staleCommand,
  summaryCommand,
  statusCommand,
  settingsCommand,
  subscribeCommand,
  unsubscribeCommand,
  runCommand,
];

/** The command a typed word names, in any language ("help", "bantuan", "Skor"). */
export function findCommand(name: string): CommandDefinition | undefined {
  const word = name.toLowerCase();
  return COMMANDS.find((c) => c.name === word || c.aliases.includes(word));
}

/** Help in the reader's language: each command's usage (in that language's words) and description. */
export function helpReply(unknown?: string, lang: Lang = ENGLISH): Reply {
  const { m } = lang;
  const intro = unknown ? m.help.unknown(clip(unknown, 40)) : m.help.intro;
  return { text: [intro, ...COMMANDS.map((c) => m.help.line(m.commands[c.name].usage, m.commands[c.name].description))].join('\n') };
}

/** The welcome a new installation gets, in the installer's language. */
export function welcomeReply(turn: IncomingTurn): Reply {
  return { text: langOf(turn).m.welcome };
}

/**
 * A message, start to end: the command it names (in any supported language) runs in the
 * sender's language; anything else gets help. The platform's `RapportBot.onMessage` calls this.
 */
export async function answerMessage(text: string, turn: IncomingTurn, deps: CommandDeps): Promise<Reply> {
  const lang = langOf(turn);
  const { name, args } = splitCommand(text);
  if (!name) return helpReply(undefined, lang);
  const command = findCommand(name);
  if (!command) return helpReply(name, lang);
  deps.logger.info('command', { command: command.name, scope: turn.scope, locale: lang.locale });
  // A personal chat where an admin talks to the bot is where a failed scheduled run is reported.
  if (turn.scope === 'personal' && turn.fromAadObjectId && (await deps.engagement.isAdmin(turn.fromAadObjectId))) {
    await deps.installations.markAdminChat(conversationKey(turn.reference));
  }
  return command.run({ turn, args, deps, lang });
}

/** Manifest limits (Teams app manifest `bots[].commandLists[].commands[]`). */
export const MANIFEST_TITLE_MAX = 32;
export const MANIFEST_DESCRIPTION_MAX = 128;

/**
 * The manifest's command list of one scope in one language: the title is the word the user
 * types in that language (the bot accepts it), the description the catalogue's.
 */
export function manifestCommands(scope: ManifestScope, locale: BotLocale): { title: string; description: string }[] {
  const m = messagesFor(locale);
  return COMMANDS.filter((c) => c.scopes.includes(scope)).map((c) => ({ title: commandWord(c, locale), description: m.commands[c.name].description }));
}

/** The word that runs a command in a language: the first word of its usage there. */
export function commandWord(command: CommandDefinition, locale: BotLocale): string {
  return messagesFor(locale).commands[command.name].usage.split(' ')[0]!;
}
