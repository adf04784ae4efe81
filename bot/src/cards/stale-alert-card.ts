import type { AccountRow } from '../ports';
import type { AdaptiveCardJson } from '../conversation';
import type { Lang } from '../i18n';
import { accountLabel } from '../notifications/stale';
import { isHidden } from '../privacy';
import { card, days, execute, facts, openUrl, plain, scoreBand, text, title, type CardAction, type Element } from './card-kit';

export const SNOOZE_VERB = 'rapport.alert.snooze';
export const HANDLED_VERB = 'rapport.alert.handled';
/** Takes back a snooze or a handled mark: the alert is open again in this conversation. */
export const UNDO_VERB = 'rapport.alert.undo';
export const SNOOZE_DAYS = 30;

/** What the data of the alert's Action.Execute buttons carries. */
export interface AlertActionData {
  accountId: string;
  accountName: string;
}

/** Who changed the alert and when; `by` is the display name Teams sent with the click, never stored. */
export interface AlertChange {
  at: string;
  by: string | null;
}

export type AlertStatus =
  | { kind: 'open' }
  | ({ kind: 'snoozed'; until: string } & AlertChange)
  | ({ kind: 'handled' } & AlertChange)
  | ({ kind: 'reopened' } & AlertChange);

function changeNote(status: Exclude<AlertStatus, { kind: 'open' }>, lang: Lang): string {
  const { m, f } = lang;
  const when = f.dateTime(status.at);
  const who = status.by ? plain(status.by) : null;
  switch (status.kind) {
    case 'snoozed':
      return who ? m.alert.snoozedBy(f.date(status.until), who, when) : m.alert.snoozed(f.date(status.until), when);
    case 'handled':
      return who ? m.alert.handledBy(who, when) : m.alert.handled(when);
    case 'reopened':
      return who ? m.alert.reopenedBy(who, when) : m.alert.reopened(when);
  }
}

export function staleAlertCard(row: AccountRow, staleDays: number, cardUrl: string, lang: Lang, status: AlertStatus = { kind: 'open' }): AdaptiveCardJson {
  const { m, f } = lang;
  const name = accountLabel(row);
  const body: Element[] = [
    title(m.alert.title(plain(name))),
    text(m.alert.body(f.days(staleDays))),
    // A hidden row is never alerted; it is drawn here only when an alert posted before the
    // threshold was raised is snoozed or handled, and then its activity stays hidden.
    isHidden(row)
      ? text(`${m.alert.score} ${scoreBand(row.EngagementScore, row.EngagementBand, lang)}. ${m.privacy.hidden(f.number(row.privacy?.minimumColleagues ?? 2))}`, { subtle: true })
      : facts([
          [m.alert.score, scoreBand(row.EngagementScore, row.EngagementBand, lang)],
          [m.score.lastEmail, days(row.DaysSinceLastemail, lang)],
          [m.score.lastMeeting, days(row.DaysSinceLastMeeting, lang)],
          [m.alert.lastInbound, row.LastInboundDate ? f.date(row.LastInboundDate) : m.common.never],
          [m.alert.lastOutbound, row.LastOutboundDate ? f.date(row.LastOutboundDate) : m.common.never],
        ]),
  ];
  const data: AlertActionData = { accountId: row.AccountId, accountName: name };
  const actions: CardAction[] = [openUrl(m.common.openInRapport, cardUrl)];
  const open = () => actions.push(execute(m.alert.snooze(f.days(SNOOZE_DAYS)), SNOOZE_VERB, { ...data }), execute(m.alert.markHandled, HANDLED_VERB, { ...data }));
  switch (status.kind) {
    case 'open':
      open();
      break;
    case 'reopened':
      body.push(text(changeNote(status, lang), { subtle: true }));
      open();
      break;
    case 'snoozed':
      body.push(text(changeNote(status, lang), { color: 'Accent' }));
      actions.push(execute(m.alert.markHandled, HANDLED_VERB, { ...data }), execute(m.alert.undo, UNDO_VERB, { ...data }));
      break;
    case 'handled':
      body.push(text(changeNote(status, lang), { color: 'Good' }));
      actions.push(execute(m.alert.undo, UNDO_VERB, { ...data }));
      break;
  }
  return card(body, actions);
}

/** When more accounts went quiet than a conversation should get one card each for. */
export function staleOverflowCard(count: number, dashboardUrl: string, lang: Lang): AdaptiveCardJson {
  return card([title(lang.m.alert.overflowTitle(lang.f.number(count))), text(lang.m.alert.overflowBody)], [openUrl(lang.m.common.openDashboard, dashboardUrl)]);
}
