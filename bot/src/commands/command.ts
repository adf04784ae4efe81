import type { IncomingTurn, Reply } from '../conversation';
import type { InstallationStore } from '../installations/installation-store';
import type { AccountMarks } from '../actions/account-marks';
import { langFor, type BotMessages, type Lang } from '../i18n';
import type { EngagementPort, Logger } from '../ports';

export interface CommandDeps {
  engagement: EngagementPort;
  installations: InstallationStore;
  marks: AccountMarks;
  clock: () => Date;
  logger: Logger;
}

export interface CommandContext {
  turn: IncomingTurn;
  /** The text after the command word, as typed (case kept). */
  args: string;
  deps: CommandDeps;
  /** The sender's language; when absent it is read from the turn (`langOf`). */
  lang?: Lang;
}

/** The manifest's scopes: a channel conversation is the `team` scope there. */
export type ManifestScope = 'personal' | 'team' | 'groupChat';

export type CommandName = keyof BotMessages['commands'];

export interface CommandDefinition {
  /** The English command word, also the key of its usage and description in the catalogues. */
  name: CommandName;
  /** Words in other languages that run the same command (`bantuan` for `help`). */
  aliases: readonly string[];
  /** Where the command does what its description says; the manifest lists it there only. */
  scopes: readonly ManifestScope[];
  run(context: CommandContext): Promise<Reply>;
}

/** The sender's language and time zone, as the platform read them from the activity. */
export function langOf(turn: Pick<IncomingTurn, 'locale' | 'timeZone' | 'reference'>): Lang {
  return langFor(turn.locale ?? turn.reference.locale, turn.timeZone);
}

/** The language a command answers in. */
export function langIn(context: Pick<CommandContext, 'lang' | 'turn'>): Lang {
  return context.lang ?? langOf(context.turn);
}

/**
 * The command text of a message: the bot's own @mention removed (Teams channels require it),
 * leftover `<at>` tags and HTML spaces cleaned, whitespace collapsed.
 */
export function commandText(raw: string | undefined, botMentionTexts: string[] = []): string {
  let text = raw ?? '';
  for (const mention of botMentionTexts) if (mention) text = text.split(mention).join(' ');
  return text
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/&nbsp;|\u00a0/gi, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export function splitCommand(text: string): { name: string; args: string } {
  const trimmed = text.trim().replace(/^\//, '');
  const space = trimmed.search(/\s/);
  return space === -1 ? { name: trimmed.toLowerCase(), args: '' } : { name: trimmed.slice(0, space).toLowerCase(), args: trimmed.slice(space + 1).trim() };
}
