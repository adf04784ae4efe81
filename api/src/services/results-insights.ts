/**
 * What the dashboard's "This week" and "Enriched customers over time" say, as pure functions of
 * year rows and week buckets (results-service.ts reads the rows; these decide). Every function
 * takes the rows as the viewer sees them, so a row hidden by the privacy threshold (its
 * DaysSince and NextMeetingDate are null) is never reported as stale or as meeting soon.
 */
import { startOfIsoWeek } from '../engagement/buckets';
import { isHidden, type OfficeRowView } from '../engagement/row-privacy';
import { staleGroupOf, type StaleRules } from '../engagement/segments';
import type { OfficeRow } from '../engagement/types';

const DAY_MS = 86_400_000;
const WEEK_MS = 7 * DAY_MS;

/** The most recent email or meeting, in days before the run; null: none in the window. */
export function daysSinceLastContact(row: Pick<OfficeRow, 'DaysSinceLastemail' | 'DaysSinceLastMeeting'>): number | null {
  const days = [row.DaysSinceLastemail, row.DaysSinceLastMeeting].filter((d): d is number => d !== null && d !== undefined);
  return days.length === 0 ? null : Math.min(...days);
}

/**
 * Days since the account crossed the stale threshold, as of the run; null when it is not in the
 * "gone quiet" group. Never-contacted accounts have no crossing: they were never active, so they
 * never "became" stale (the product shows them as their own group).
 *
 * Why this needs no previous run: a gone-quiet account had its last contact `d` days before the
 * run with `d > staleDays`, and nothing since; so it was not stale until `d − staleDays` days ago.
 */
export function daysSinceBecameStale(row: OfficeRowView, rules: StaleRules): number | null {
  if (isHidden(row) || staleGroupOf(row as OfficeRow, rules) !== 'goneQuiet') return null;
  const last = daysSinceLastContact(row as OfficeRow);
  return last === null ? null : last - rules.staleDays;
}

/** The accounts that went quiet in the `days` days before the run, most recent crossing first. */
export function becameStaleWithin(rows: readonly OfficeRowView[], rules: StaleRules, days: number): { row: OfficeRowView; daysAgo: number }[] {
  const found: { row: OfficeRowView; daysAgo: number }[] = [];
  for (const row of rows) {
    const ago = daysSinceBecameStale(row, rules);
    // The crossing is strictly after "last contact + staleDays", so `ago` ≥ 1 day before the run.
    if (ago !== null && ago <= days) found.push({ row, daysAgo: ago });
  }
  return found.sort((a, b) => a.daysAgo - b.daysAgo || b.row.EngagementScore - a.row.EngagementScore || byId(a.row, b.row));
}

/**
 * The biggest score gains and drops since the previous run, `limit` of each. Rows without a
 * change (the first run, a new account) and unchanged scores are in neither list.
 */
export function scoreMovers(rows: readonly OfficeRowView[], limit: number): { gains: OfficeRowView[]; drops: OfficeRowView[] } {
  const gains = rows.filter((r) => (r.EngagementScoreChange ?? 0) > 0).sort((a, b) => b.EngagementScoreChange! - a.EngagementScoreChange! || byId(a, b));
  const drops = rows.filter((r) => (r.EngagementScoreChange ?? 0) < 0).sort((a, b) => a.EngagementScoreChange! - b.EngagementScoreChange! || byId(a, b));
  return { gains: gains.slice(0, limit), drops: drops.slice(0, limit) };
}

/**
 * Accounts with their next meeting in `[now, now + days)`, soonest first. `now` is the reader's
 * time, not the run's: a meeting the run saw as upcoming may have happened since.
 */
export function meetingsWithin(rows: readonly OfficeRowView[], now: number, days: number): OfficeRowView[] {
  const end = now + days * DAY_MS;
  return rows
    .filter((r) => {
      if (!r.NextMeetingDate) return false;
      const t = Date.parse(r.NextMeetingDate);
      return t >= now && t < end;
    })
    .sort((a, b) => Date.parse(a.NextMeetingDate!) - Date.parse(b.NextMeetingDate!) || byId(a, b));
}

/**
 * Enriched customers per ISO week: for every week from the one holding the window's start to the
 * one holding the run, the number of distinct accounts with a counted email or past meeting in
 * that week (a week row exists exactly then, DESIGN §3 "Rows at each level"). Weeks without
 * activity are 0, so the series has no gaps a chart would draw across.
 */
export function weeklyEnriched(weekStarts: Iterable<string>, windowStart: string, runAt: string): { weekStart: string; accounts: number }[] {
  const counts = new Map<number, number>();
  for (const start of weekStarts) {
    const week = startOfIsoWeek(Date.parse(start));
    counts.set(week, (counts.get(week) ?? 0) + 1);
  }
  const first = startOfIsoWeek(Date.parse(windowStart));
  const last = startOfIsoWeek(Date.parse(runAt) - 1);
  const weeks: { weekStart: string; accounts: number }[] = [];
  for (let t = first; t <= last; t += WEEK_MS) weeks.push({ weekStart: new Date(t).toISOString(), accounts: counts.get(t) ?? 0 });
  return weeks;
}

function byId(a: OfficeRowView, b: OfficeRowView): number {
  return a.AccountId < b.AccountId ? -1 : a.AccountId > b.AccountId ? 1 : 0;
}
