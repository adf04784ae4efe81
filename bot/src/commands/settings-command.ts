/** `settings`: what this conversation gets from Rapport and when. */
import { settingsCard, type SettingsView } from '../cards/settings-card';
import type { IncomingTurn } from '../conversation';
import { pickTimeZone } from '../i18n';
import type { ConversationSettings } from '../state';
import { markConversationKey } from './account-commands';
import { langIn, type CommandDefinition, type CommandDeps } from './command';

/** A conversation that never saved settings gets the summary right after each run, at 09:00 when it picks a day. */
export const DEFAULT_SUMMARY_HOUR = 9;

export function defaultSettings(turn: Pick<IncomingTurn, 'timeZone'>, locale: string, now: Date): ConversationSettings {
  return { weeklySummary: true, summaryDay: null, summaryHour: DEFAULT_SUMMARY_HOUR, timeZone: pickTimeZone(turn.timeZone), staleDays: null, locale, updatedAt: now.toISOString() };
}

/** What the settings card shows for this conversation now. */
export async function settingsView(turn: IncomingTurn, deps: Pick<CommandDeps, 'installations' | 'engagement' | 'clock'>, locale: string): Promise<SettingsView> {
  const key = markConversationKey(turn);
  const [saved, subscribed, rule] = await Promise.all([deps.installations.settings(key), deps.installations.isSubscribed(key), deps.engagement.staleRule()]);
  const settings = saved ?? defaultSettings(turn, locale, deps.clock());
  return {
    weeklySummary: settings.weeklySummary,
    staleAlerts: turn.scope === 'personal' ? null : subscribed,
    summaryDay: settings.summaryDay,
    summaryHour: settings.summaryHour,
    timeZone: settings.timeZone,
    staleDays: settings.staleDays,
    defaultStaleDays: rule.staleDays,
  };
}

export const settingsCommand: CommandDefinition = {
  name: 'settings',
  aliases: ['pengaturan', 'setelan'],
  scopes: ['personal', 'team', 'groupChat'],
  async run(context) {
    const lang = langIn(context);
    return { card: settingsCard(await settingsView(context.turn, context.deps, lang.locale), lang) };
  },
};
