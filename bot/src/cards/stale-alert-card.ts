import type { AccountRow } from '../ports';
import type { AdaptiveCardJson } from '../conversation';
import { accountLabel } from '../notifications/stale';
import { hiddenActivityNote, isHidden } from '../privacy';
import { card, days, execute, facts, isoDay, openUrl, plain, text, title } from './card-kit';

export const SNOOZE_VERB = 'rapport.alert.snooze';
export const HANDLED_VERB = 'rapport.alert.handled';
export const SNOOZE_DAYS = 30;

/** What the data of the alert's Action.Execute buttons carries. */
export interface AlertActionData {
  accountId: string;
  accountName: string;
}

export type AlertStatus = { kind: 'open' } | { kind: 'snoozed'; until: string } | { kind: 'handled'; at: string };

export function staleAlertCard(row: AccountRow, staleDays: number, cardUrl: string, status: AlertStatus = { kind: 'open' }): AdaptiveCardJson {
  const name = accountLabel(row);
  const body = [
    title(`${plain(name)} has gone stale`),
    text(`No email and no meeting with this account for more than ${staleDays} days, and none is planned.`),
    // A hidden row is never alerted; it is drawn here only when an alert posted before the
    // threshold was raised is snoozed or handled, and then its activity stays hidden.
    isHidden(row)
      ? text(`Engagement score ${row.EngagementScore} (${row.EngagementBand}). ${hiddenActivityNote(row)}`, { subtle: true })
      : facts([
          ['Engagement score', `${row.EngagementScore} (${row.EngagementBand})`],
          ['Since last email', days(row.DaysSinceLastemail)],
          ['Since last meeting', days(row.DaysSinceLastMeeting)],
          ['Last inbound', isoDay(row.LastInboundDate)],
          ['Last outbound', isoDay(row.LastOutboundDate)],
        ]),
  ];
  const data: AlertActionData = { accountId: row.AccountId, accountName: name };
  const actions = [openUrl('Open card', cardUrl)];
  switch (status.kind) {
    case 'open':
      actions.push(execute(`Snooze ${SNOOZE_DAYS} days`, SNOOZE_VERB, { ...data }), execute('Mark handled', HANDLED_VERB, { ...data }));
      break;
    case 'snoozed':
      body.push(text(`Snoozed until ${isoDay(status.until)}.`, { color: 'Accent' }));
      actions.push(execute('Mark handled', HANDLED_VERB, { ...data }));
      break;
    case 'handled':
      body.push(text(`Marked handled on ${isoDay(status.at)}.`, { color: 'Good' }));
      break;
  }
  return card(body, actions);
}

/** When more accounts went stale than a channel should get one card each for. */
export function staleOverflowCard(count: number, dashboardUrl: string): AdaptiveCardJson {
  return card(
    [title(`${count} more accounts have gone stale`), text('Open the dashboard to see the stale segment.')],
    [openUrl('Open dashboard', dashboardUrl)],
  );
}
