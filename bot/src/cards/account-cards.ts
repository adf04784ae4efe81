import type { AdaptiveCardJson } from '../conversation';
import type { AccountDetail, AccountRow } from '../ports';
import { accountLabel } from '../notifications/stale';
import { hiddenActivityNote, isHidden } from '../privacy';
import { card, days, facts, heading, isoDay, list, openUrl, plain, signed, text, title } from './card-kit';

/** Emails or meetings both ways; only called on rows whose counts are not hidden. */
const total = (a: number | null, b: number | null): string => String((a ?? 0) + (b ?? 0));

/**
 * The `score` command: one account's score, its totals over the year and why it scores so. A
 * row hidden by the privacy threshold shows its score and band and says why the rest is hidden.
 */
export function accountScoreCard(detail: AccountDetail, stale: boolean, cardUrl: string): AdaptiveCardJson {
  const row = detail.year;
  const score = text(`Engagement score **${row.EngagementScore}** (${row.EngagementBand}), change since last run ${signed(row.EngagementScoreChange)}`);
  if (isHidden(row)) {
    return card([title(plain(accountLabel(row))), score, text(hiddenActivityNote(row), { subtle: true })], [openUrl('Open card', cardUrl)]);
  }
  const body = [
    title(plain(accountLabel(row))),
    score,
    facts([
      ['Emails (last year)', total(row.NoOfEmails_ToAccount, row.NoOfEmails_FromAccount)],
      ['Meetings (last year)', total(row.NoOfMeetings_ToAccount, row.NoOfMeetings_FromAccount)],
      ['Since last email', days(row.DaysSinceLastemail)],
      ['Since last meeting', days(row.DaysSinceLastMeeting)],
      ['Next meeting', isoDay(row.NextMeetingDate)],
      ['Stale', stale ? 'yes' : 'no'],
    ]),
  ];
  if (detail.explanation.signals.length > 0) {
    body.push(heading('What makes the score'));
    body.push(list(detail.explanation.signals.map((s) => [s.signal, `${s.points.toFixed(1)} points`])));
  }
  return card(body, [openUrl('Open card', cardUrl)]);
}

export function topAccountsCard(rows: AccountRow[], requested: number, note: string | null, dashboardUrl: string): AdaptiveCardJson {
  const body = [title(`Top ${requested} accounts by engagement score`)];
  if (note) body.push(text(note, { subtle: true }));
  body.push(
    rows.length === 0
      ? text('No results yet.')
      : list(rows.map((r, i) => [`${i + 1}. ${plain(accountLabel(r))}`, `${r.EngagementScore} (${r.EngagementBand}, ${signed(r.EngagementScoreChange)})`])),
  );
  return card(body, [openUrl('Open dashboard', dashboardUrl)]);
}

export interface StaleListEntry {
  row: AccountRow;
  /** e.g. "snoozed until 2026-02-01" or "handled", for this conversation. */
  note: string | null;
}

export function staleListCard(entries: StaleListEntry[], total: number, staleDays: number, dashboardUrl: string): AdaptiveCardJson {
  const body = [title(`Stale accounts (no email or meeting for more than ${staleDays} days)`)];
  if (total === 0) {
    body.push(text('No account is stale. 🎉'));
  } else {
    body.push(text(`${total} account${total === 1 ? '' : 's'}${total > entries.length ? `, the ${entries.length} quietest shown` : ''}.`, { subtle: true }));
    body.push(
      list(
        entries.map(({ row, note }) => [
          plain(accountLabel(row)) + (note ? ` _(${note})_` : ''),
          `email ${days(row.DaysSinceLastemail)}, meeting ${days(row.DaysSinceLastMeeting)}`,
        ]),
      ),
    );
  }
  return card(body, [openUrl('Open dashboard', dashboardUrl)]);
}
