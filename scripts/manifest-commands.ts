/**
 * The bot's command lists in appPackage/ come from the command registry
 * (bot/src/commands/registry.ts `manifestCommands`): one list per scope, English in
 * manifest.json and Indonesian in id-ID.json, so the manifest never promises a command where
 * the bot refuses it. `npm run manifest:commands` rewrites both files; tests/app-package.test.ts
 * fails when they drift.
 *
 *   tsx scripts/manifest-commands.ts [--check]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { manifestCommands } from '../bot/src/commands/registry';

export const SCOPES = ['personal', 'team', 'groupChat'] as const;

export interface CommandList {
  scopes: (typeof SCOPES)[number][];
  commands: { title: string; description: string }[];
}

/** One list per scope (Teams shows each scope its own list), in English. */
export function commandLists(): CommandList[] {
  return SCOPES.map((scope) => ({ scopes: [scope], commands: manifestCommands(scope, 'en-US') }));
}

/** The id-ID localization entries of those lists: every title and description. */
export function indonesianCommandEntries(): Record<string, string> {
  const entries: Record<string, string> = {};
  SCOPES.forEach((scope, i) => {
    manifestCommands(scope, 'id-ID').forEach((command, j) => {
      entries[`bots[0].commandLists[${i}].commands[${j}].title`] = command.title;
      entries[`bots[0].commandLists[${i}].commands[${j}].description`] = command.description;
    });
  });
  return entries;
}

/** manifest.json and id-ID.json with the command lists the registry gives; everything else kept in place. */
export function syncedFiles(root: string): { manifest: string; localization: string } {
  const manifestPath = path.join(root, 'appPackage/manifest.json');
  const localizationPath = path.join(root, 'appPackage/id-ID.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { bots: { commandLists: CommandList[] }[] };
  manifest.bots[0]!.commandLists = commandLists();
  const localization = JSON.parse(readFileSync(localizationPath, 'utf8')) as Record<string, string>;
  const kept = Object.entries(localization).filter(([key]) => !key.startsWith('bots[0].commandLists['));
  // Keep the file's order: the command entries go where the old ones were (after the tab names).
  const firstCommand = Object.keys(localization).findIndex((key) => key.startsWith('bots[0].commandLists['));
  const at = firstCommand === -1 ? kept.length : firstCommand;
  const ordered = [...kept.slice(0, at), ...Object.entries(indonesianCommandEntries()), ...kept.slice(at)];
  return { manifest: `${JSON.stringify(manifest, null, 2)}\n`, localization: `${JSON.stringify(Object.fromEntries(ordered), null, 2)}\n` };
}

if (require.main === module) {
  const root = path.resolve(__dirname, '..');
  const { manifest, localization } = syncedFiles(root);
  const check = process.argv.includes('--check');
  const targets: [string, string][] = [
    ['appPackage/manifest.json', manifest],
    ['appPackage/id-ID.json', localization],
  ];
  let drift = false;
  for (const [file, text] of targets) {
    const full = path.join(root, file);
    if (readFileSync(full, 'utf8') === text) continue;
    drift = true;
    if (check) console.error(`${file} does not list the registry's commands: run npm run manifest:commands`);
    else writeFileSync(full, text);
  }
  if (check && drift) process.exit(1);
}
