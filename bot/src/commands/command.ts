import type { IncomingTurn, Reply } from '../conversation';
import type { InstallationStore } from '../installations/installation-store';
import type { AccountMarks } from '../actions/account-marks';
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
}

export interface CommandDefinition {
  name: string;
  /** How to call it, e.g. "score <account>". */
  usage: string;
  help: string;
  run(context: CommandContext): Promise<Reply>;
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
