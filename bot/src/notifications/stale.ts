/** DESIGN.md §3 "Stale accounts", and which accounts became stale between two runs. Pure. */
import type { OfficeRow } from '../../../api/src/engagement/types';
import type { StaleRule } from '../ports';

/** Null means "never" and counts as more than the threshold. */
export function isStale(row: OfficeRow, rule: StaleRule): boolean {
  if (rule.upcomingMeetingSuppressesStale && row.NextMeetingDate !== null) return false;
  const over = (days: number | null) => days === null || days > rule.staleDays;
  return over(row.DaysSinceLastemail) && over(row.DaysSinceLastMeeting);
}

/**
 * Accounts stale now that were present and not stale in the previous run. On the first run
 * (no previous rows) nothing "became" stale: the summary reports the stale count instead.
 */
export function newlyStale(previous: OfficeRow[] | null, current: OfficeRow[], rule: StaleRule): OfficeRow[] {
  if (previous === null) return [];
  const before = new Map(previous.map((r) => [r.AccountId, r]));
  return current.filter((row) => {
    const was = before.get(row.AccountId);
    return was !== undefined && !isStale(was, rule) && isStale(row, rule);
  });
}

/** Days since the last email or meeting, whichever is more recent; null when there was none. */
export function daysSinceLastInteraction(row: OfficeRow): number | null {
  const days = [row.DaysSinceLastemail, row.DaysSinceLastMeeting].filter((d): d is number => d !== null);
  return days.length === 0 ? null : Math.min(...days);
}

export function accountLabel(row: Pick<OfficeRow, 'AccountId' | 'AccountName'>): string {
  return row.AccountName?.trim() || row.AccountId;
}

/** The accounts with the highest score, ties broken by name for a stable order. */
export function topAccounts(rows: OfficeRow[], n: number): OfficeRow[] {
  return [...rows].sort((a, b) => b.EngagementScore - a.EngagementScore || accountLabel(a).localeCompare(accountLabel(b))).slice(0, n);
}

/** The biggest score changes up and down (`EngagementScoreChange`), zero changes left out. */
export function biggestMovers(rows: OfficeRow[], n: number): { up: OfficeRow[]; down: OfficeRow[] } {
  const changed = rows.filter((r) => r.EngagementScoreChange !== null && r.EngagementScoreChange !== 0);
  const byChange = (sign: 1 | -1) => (a: OfficeRow, b: OfficeRow) =>
    sign * ((b.EngagementScoreChange ?? 0) - (a.EngagementScoreChange ?? 0)) || accountLabel(a).localeCompare(accountLabel(b));
  return {
    up: changed.filter((r) => (r.EngagementScoreChange ?? 0) > 0).sort(byChange(1)).slice(0, n),
    down: changed.filter((r) => (r.EngagementScoreChange ?? 0) < 0).sort(byChange(-1)).slice(0, n),
  };
}
