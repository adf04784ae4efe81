/** The stale alert's Action.Execute buttons: "Snooze 30 days" and "Mark handled". */
import { z } from 'zod';
import { HANDLED_VERB, SNOOZE_DAYS, SNOOZE_VERB, staleAlertCard } from '../cards/stale-alert-card';
import { card, text, title } from '../cards/card-kit';
import { conversationKey, type IncomingTurn, type Reply } from '../conversation';
import type { EngagementPort, Logger } from '../ports';
import type { AccountMarks } from './account-marks';

const actionDataSchema = z.object({ accountId: z.string().min(1).max(200) });

export const CARD_ACTION_VERBS = [SNOOZE_VERB, HANDLED_VERB] as const;
export type CardActionVerb = (typeof CARD_ACTION_VERBS)[number];

export interface CardActionDeps {
  engagement: EngagementPort;
  marks: AccountMarks;
  clock: () => Date;
  logger: Logger;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** Persists the mark and answers with the alert card as it should now look for everyone. */
export async function handleCardAction(verb: CardActionVerb, data: unknown, turn: IncomingTurn, deps: CardActionDeps): Promise<Reply> {
  const parsed = actionDataSchema.safeParse(data);
  if (!parsed.success) return { text: 'This card is out of date; ask me `stale` for the current list.' };
  const { accountId } = parsed.data;
  // The mark belongs to the conversation the card sits in (taken from the activity, not the card data).
  const key = conversationKey({ conversation: { ...turn.reference.conversation, id: turn.channelConversationId ?? turn.reference.conversation.id } });
  const now = deps.clock();
  const [detail, rule] = await Promise.all([deps.engagement.account(accountId), deps.engagement.staleRule()]);
  switch (verb) {
    case SNOOZE_VERB: {
      const until = new Date(now.getTime() + SNOOZE_DAYS * DAY_MS);
      await deps.marks.snooze(key, accountId, until);
      deps.logger.info('stale alert snoozed', { conversationKey: key, accountId, until: until.toISOString() });
      return detail
        ? { card: staleAlertCard(detail.year, rule.staleDays, deps.engagement.deepLink(accountId), { kind: 'snoozed', until: until.toISOString() }) }
        : { card: card([title('Alert snoozed'), text(`No alert for this account until ${until.toISOString().slice(0, 10)}.`)]) };
    }
    case HANDLED_VERB: {
      await deps.marks.markHandled(key, accountId, now);
      deps.logger.info('stale alert handled', { conversationKey: key, accountId });
      return detail
        ? { card: staleAlertCard(detail.year, rule.staleDays, deps.engagement.deepLink(accountId), { kind: 'handled', at: now.toISOString() }) }
        : { card: card([title('Alert handled'), text('No further alert for this account until it goes stale again.')]) };
    }
  }
}
