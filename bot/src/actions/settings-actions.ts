/** The settings card's Save: validate every input, then persist all of it or nothing. */
import { z } from 'zod';
import { settingsCard } from '../cards/settings-card';
import type { IncomingTurn, Reply, StoredReference } from '../conversation';
import type { Lang } from '../i18n';
import { pickTimeZone } from '../i18n';
import type { InstallationStore } from '../installations/installation-store';
import { markConversationKey } from '../commands/account-commands';
import { settingsView } from '../commands/settings-command';
import type { EngagementPort, Logger } from '../ports';

/** Adaptive Card inputs arrive as strings (a cleared Input.Number as ""). */
const inputsSchema = z.object({
  weeklySummary: z.enum(['true', 'false']),
  staleAlerts: z.enum(['true', 'false']).optional(),
  summaryDay: z.enum(['after', '0', '1', '2', '3', '4', '5', '6']),
  summaryHour: z.string().regex(/^(?:[01]?\d|2[0-3])$/),
  timeZone: z.string().min(1).max(64),
  staleDays: z.union([z.literal(''), z.coerce.number().int().min(1).max(365)]).optional(),
});

export interface SettingsActionDeps {
  engagement: EngagementPort;
  installations: InstallationStore;
  clock: () => Date;
  logger: Logger;
}

export async function saveSettings(data: unknown, turn: IncomingTurn, deps: SettingsActionDeps, lang: Lang): Promise<Reply> {
  const { m, f } = lang;
  const key = markConversationKey(turn);
  const parsed = inputsSchema.safeParse(data);
  const problem = !parsed.success
    ? parsed.error.issues.some((i) => i.path[0] === 'staleDays')
      ? m.settings.staleDaysError
      : m.errors.outOfDate
    : pickTimeZone(parsed.data.timeZone) !== parsed.data.timeZone
      ? m.settings.badTimeZone
      : parsed.data.staleAlerts === 'true' && turn.scope === 'personal'
        ? m.settings.alertsNeedChannel
        : null;
  if (problem || !parsed.success) {
    return { card: settingsCard(await settingsView(turn, deps, lang.locale), lang, { kind: 'error', text: m.settings.invalid(problem ?? m.errors.outOfDate) }) };
  }
  const inputs = parsed.data;
  const now = deps.clock();
  await deps.installations.saveSettings(key, {
    weeklySummary: inputs.weeklySummary === 'true',
    summaryDay: inputs.summaryDay === 'after' ? null : Number(inputs.summaryDay),
    summaryHour: Number(inputs.summaryHour),
    timeZone: inputs.timeZone,
    staleDays: inputs.staleDays === undefined || inputs.staleDays === '' ? null : inputs.staleDays,
    locale: lang.locale,
    updatedAt: now.toISOString(),
  });
  if (inputs.staleAlerts !== undefined && turn.scope !== 'personal') {
    const reference: StoredReference = turn.channelConversationId ? { ...turn.reference, conversation: { ...turn.reference.conversation, id: turn.channelConversationId } } : turn.reference;
    if (inputs.staleAlerts === 'true') await deps.installations.subscribe(reference, turn.teamId);
    else await deps.installations.unsubscribe(key);
  }
  deps.logger.info('conversation settings saved', { conversationKey: key });
  const when = f.dateTime(now);
  const note = turn.fromName ? m.settings.saved(turn.fromName, when) : m.settings.savedAnonymous(when);
  return { card: settingsCard(await settingsView(turn, deps, lang.locale), lang, { kind: 'saved', text: note }) };
}
