import type { Reply } from '../conversation';
import { scoreCommand, staleCommand, summaryCommand, topCommand } from './account-commands';
import { runCommand, statusCommand, subscribeCommand, unsubscribeCommand } from './channel-commands';
import type { CommandDefinition } from './command';

export const helpCommand: CommandDefinition = {
  name: 'help',
  usage: 'help',
  help: 'This list.',
  run: () => Promise.resolve(helpReply()),
};

/** Every command, in the order help lists them. */
export const COMMANDS: readonly CommandDefinition[] = [
  helpCommand,
  scoreCommand,
  topCommand,
  staleCommand,
  summaryCommand,
  statusCommand,
  subscribeCommand,
  unsubscribeCommand,
  runCommand,
];

export function findCommand(name: string): CommandDefinition | undefined {
  return COMMANDS.find((c) => c.name === name);
}

export function helpReply(unknown?: string): Reply {
  const intro = unknown ? `I don't know "${unknown}". Here is what I can do:` : 'Here is what I can do:';
  return { text: [intro, ...COMMANDS.map((c) => `- **${c.usage}**: ${c.help}`)].join('\n') };
}
