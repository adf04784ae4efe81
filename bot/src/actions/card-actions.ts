/**
 * Action.Execute buttons on Rapport's cards: the stale alert's Snooze, Mark handled and Undo,
 * a look-up candidate's button, and the settings card's Save. Each answers with the card as it
 * should now look for everyone in the conversation.
 */
import { z } from 'zod';
import { HANDLED_VERB, SNOOZE_DAYS, SNOOZE_VERB, UNDO_VERB, staleAlertCard, type AlertStatus } from '../cards/stale-alert-card';
import { SCORE_VERB } from '../cards/account-cards';
import { SETTINGS_SAVE_VERB } from '../cards/settings-card';
import { card, text, title } from '../cards/card-kit';
import type { IncomingTurn, Reply } from '../conversation';
import type { InstallationStore } from '../installations/installation-store';
import { accountReply, markConversationKey } from '../commands/account-commands';
import { langOf } from '../commands/command';
import type { EngagementPort, Logger } from '../ports';
import type { AccountMarks } from './account-marks';
import { saveSettings } from './settings-actions';

const accountDataSchema = z.object({ accountId: z.string().min(1).max(200) });

export const CARD_ACTION_VERBS = [SNOOZE_VERB, HANDLED_VERB, UNDO_VERB, SCORE_VERB, SETTINGS_SAVE_VERB] as const;
export type CardActionVerb = (typeof CARD_ACTION_VERBS)[number];

export interface CardActionDeps {
  engagement: EngagementPort;
  marks: AccountMarks;
  installations: InstallationStore;
  clock: () => Date;
  logger: Logger;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Persists what the button asks for and answers with the card as it should now look. */
export async function handleCardAction(verb: CardActionVerb, data: unknown, turn: IncomingTurn, deps: CardActionDeps): Promise<Reply> {
  const lang = langOf(turn);
  if (verb === SETTINGS_SAVE_VERB) return saveSettings(data, turn, deps, lang);
  const parsed = accountDataSchema.safeParse(data);
  if (!parsed.success) return { text: lang.m.errors.outOfDate };
  const { accountId } = parsed.data;
  if (verb === SCORE_VERB) return accountReply(deps.engagement, accountId, lang);

  // The mark belongs to the conversation the card sits in (taken from the activity, not the card data).
  const key = markConversationKey(turn);
  const now = deps.clock();
  const change = { at: now.toISOString(), by: turn.fromName ?? null };
  let status: AlertStatus;
  switch (verb) {
    case SNOOZE_VERB: {
      const until = new Date(now.getTime() + SNOOZE_DAYS * DAY_MS);
      await deps.marks.snooze(key, accountId, until);
      deps.logger.info('stale alert snoozed', { conversationKey: key, accountId, until: until.toISOString() });
      status = { kind: 'snoozed', until: until.toISOString(), ...change };
      break;
    }
    case HANDLED_VERB:
      await deps.marks.markHandled(key, accountId, now);
      deps.logger.info('stale alert handled', { conversationKey: key, accountId });
      status = { kind: 'handled', ...change };
      break;
    case UNDO_VERB:
      await deps.marks.clear(key, accountId);
      deps.logger.info('stale alert mark undone', { conversationKey: key, accountId });
      status = { kind: 'reopened', ...change };
      break;
  }
  const [detail, rule, settings] = await Promise.all([deps.engagement.account(accountId), deps.engagement.staleRule(), deps.installations.settings(key)]);
  if (!detail) return { card: card([title(lang.m.alert.goneTitle), text(lang.m.alert.goneBody)]) };
  return { card: staleAlertCard(detail.year, settings?.staleDays ?? rule.staleDays, deps.engagement.deepLink(accountId), lang, status) };
}
