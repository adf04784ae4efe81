import type { AdaptiveCardJson } from '../conversation';
import type { Lang } from '../i18n';
import type { AccountDetail, AccountRow } from '../ports';
import { accountLabel, daysSinceLastInteraction } from '../notifications/stale';
import { isHidden } from '../privacy';
import { actionSet, card, days, execute, facts, heading, list, openUrl, plain, scoreBand, signed, text, title, type Element } from './card-kit';

/** Action.Execute verb of a look-up candidate's button: the bot answers with that account's card. */
export const SCORE_VERB = 'rapport.account.score';

/** Emails or meetings both ways; only called on rows whose counts are not hidden. */
const total = (a: number | null, b: number | null, lang: Lang): string => lang.f.number((a ?? 0) + (b ?? 0));

/** The later of the last email either way, as an ISO date; null when there was none. */
export function lastEmailDate(row: Pick<AccountRow, 'LastInboundDate' | 'LastOutboundDate'>): string | null {
  const dates = [row.LastInboundDate, row.LastOutboundDate].filter((d): d is string => d !== null);
  return dates.length === 0 ? null : dates.reduce((a, b) => (new Date(a) > new Date(b) ? a : b));
}

/** "Never contacted": no email and no meeting in the window at all (DESIGN §3 counts it as stale). */
export function neverContacted(row: AccountRow): boolean {
  return !isHidden(row) && row.DaysSinceLastemail === null && row.DaysSinceLastMeeting === null;
}

function scoreLine(row: AccountRow, lang: Lang): Element {
  // Not "change since the last run new": an account without an earlier score says so in words.
  const change = row.EngagementScoreChange === null ? null : signed(row.EngagementScoreChange, lang);
  return text(lang.m.score.summary(lang.f.number(row.EngagementScore), lang.m.common.band[row.EngagementBand], change));
}

/**
 * The `score` command: one account's score, its totals over the year and why it scores so. A
 * row hidden by the privacy threshold shows its score and band and says why the rest is hidden.
 */
export function accountScoreCard(detail: AccountDetail, stale: boolean, cardUrl: string, lang: Lang): AdaptiveCardJson {
  const { m } = lang;
  const row = detail.year;
  const actions = [openUrl(m.common.openInRapport, cardUrl)];
  if (isHidden(row)) {
    return card([title(plain(accountLabel(row))), scoreLine(row, lang), text(m.privacy.hidden(lang.f.number(row.privacy?.minimumColleagues ?? 2)), { subtle: true })], actions);
  }
  const body: Element[] = [
    title(plain(accountLabel(row))),
    scoreLine(row, lang),
    facts([
      [m.score.emails, total(row.NoOfEmails_ToAccount, row.NoOfEmails_FromAccount, lang)],
      [m.score.meetings, total(row.NoOfMeetings_ToAccount, row.NoOfMeetings_FromAccount, lang)],
      [m.score.lastEmail, days(row.DaysSinceLastemail, lang)],
      [m.score.lastMeeting, days(row.DaysSinceLastMeeting, lang)],
      [m.score.nextMeeting, row.NextMeetingDate ? lang.f.date(row.NextMeetingDate) : m.score.noneScheduled],
      [m.score.stale, neverContacted(row) ? m.score.staleNever : stale ? m.common.yes : m.common.no],
    ]),
  ];
  if (detail.explanation.signals.length > 0) {
    body.push(heading(m.score.driversHeading));
    body.push(list(detail.explanation.signals.map((s) => [m.score.signals[s.signal], m.score.points(lang.f.number(s.points))])));
  }
  return card(body, actions);
}

export interface Candidate {
  id: string;
  name: string;
  /** e.g. the account's mail domain, so two names that read alike can be told apart. */
  detail: string | null;
}

/** Several accounts fit the typed name: one button each, which answers with that account's card. */
export function candidatesCard(query: string, candidates: Candidate[], totalCount: number, lang: Lang): AdaptiveCardJson {
  const { m } = lang;
  const body: Element[] = [heading(m.score.severalTitle(plain(query))), text(m.score.severalHint)];
  if (totalCount > candidates.length) body.push(text(m.score.moreThanShown(lang.f.number(candidates.length), lang.f.number(totalCount)), { subtle: true }));
  body.push(actionSet(candidates.map((c) => execute(c.detail ? `${c.name} · ${c.detail}` : c.name, SCORE_VERB, { accountId: c.id }))));
  return card(body);
}

export function topAccountsCard(rows: AccountRow[], requested: number, note: string | null, dashboardUrl: string, lang: Lang): AdaptiveCardJson {
  const { m } = lang;
  const body: Element[] = [title(m.top.title(lang.f.number(requested)))];
  if (note) body.push(text(note, { subtle: true }));
  body.push(
    rows.length === 0
      ? text(m.top.noResults)
      : list(rows.map((r, i) => [`${lang.f.number(i + 1)}. ${plain(accountLabel(r))}`, `${scoreBand(r.EngagementScore, r.EngagementBand, lang)} ${signed(r.EngagementScoreChange, lang)}`])),
  );
  return card(body, [openUrl(m.common.openDashboard, dashboardUrl)]);
}

export interface StaleListEntry {
  row: AccountRow;
  /** e.g. "snoozed until Feb 11, 2026" or "handled", for this conversation. */
  note: string | null;
}

export interface StaleGroups {
  /** Had contact, now silent past the threshold: the quietest first. */
  quiet: StaleListEntry[];
  quietTotal: number;
  /** No email and no meeting in the window at all. */
  never: StaleListEntry[];
  neverTotal: number;
}

/**
 * The stale segment in two groups: accounts that had contact and went quiet, and accounts never
 * contacted in the window, so nobody is told to "reactivate" an account nobody ever wrote to.
 * The count is DESIGN's stale segment, both groups together.
 */
export function staleListCard(groups: StaleGroups, staleDays: number, dashboardUrl: string, lang: Lang): AdaptiveCardJson {
  const { m } = lang;
  const body: Element[] = [title(m.stale.title(lang.f.days(staleDays)))];
  const totalCount = groups.quietTotal + groups.neverTotal;
  const shown = groups.quiet.length + groups.never.length;
  if (totalCount === 0) {
    body.push(text(m.stale.none));
    return card(body, [openUrl(m.common.openDashboard, dashboardUrl)]);
  }
  body.push(text(totalCount > shown ? m.stale.countShown(lang.f.number(totalCount), lang.f.number(shown)) : m.stale.count(lang.f.number(totalCount)), { subtle: true }));
  const label = ({ row, note }: StaleListEntry) => plain(accountLabel(row)) + (note ? ` _(${note})_` : '');
  if (groups.quietTotal > 0) {
    body.push(heading(m.stale.goneQuiet(lang.f.number(groups.quietTotal))));
    body.push(list(groups.quiet.map((e) => [label(e), m.stale.silentFor(days(daysSinceLastInteraction(e.row), lang))])));
  }
  if (groups.neverTotal > 0) {
    body.push(heading(m.stale.neverContacted(lang.f.number(groups.neverTotal))));
    body.push(text(m.stale.neverContactedHint, { subtle: true }));
    body.push(list(groups.never.map((e) => [label(e), scoreBand(e.row.EngagementScore, e.row.EngagementBand, lang)])));
  }
  return card(body, [openUrl(m.common.openDashboard, dashboardUrl)]);
}
