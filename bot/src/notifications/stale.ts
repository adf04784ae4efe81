/** DESIGN.md §3 "Stale accounts", and which accounts became stale between two runs. Pure. */
import type { AccountRow, StaleRule } from '../ports';
import { isHidden } from '../privacy';

/**
 * Null means "never" and counts as more than the threshold. A row hidden by the privacy
 * threshold is never stale: its nulls mean "hidden", and staleness is the hidden recency itself.
 */
export function isStale(row: AccountRow, rule: StaleRule): boolean {
  if (isHidden(row)) return false;
  if (rule.upcomingMeetingSuppressesStale && row.NextMeetingDate !== null) return false;
  const over = (days: number | null) => days === null || days > rule.staleDays;
  return over(row.DaysSinceLastemail) && over(row.DaysSinceLastMeeting);
}

/**
 * Accounts stale now that were present and not stale in the previous run. On the first run
 * (no previous rows) nothing "became" stale: the summary reports the stale count instead.
 */
export function newlyStale(previous: AccountRow[] | null, current: AccountRow[], rule: StaleRule): AccountRow[] {
  if (previous === null) return [];
  const before = new Map(previous.map((r) => [r.AccountId, r]));
  return current.filter((row) => {
    const was = before.get(row.AccountId);
    return was !== undefined && !isStale(was, rule) && isStale(row, rule);
  });
}

/** Days since the last email or meeting, whichever is more recent; null when there was none. */
export function daysSinceLastInteraction(row: AccountRow): number | null {
  const days = [row.DaysSinceLastemail, row.DaysSinceLastMeeting].filter((d): d is number => d !== null);
  return days.length === 0 ? null : Math.min(...days);
}

export function accountLabel(row: Pick<AccountRow, 'AccountId' | 'AccountName'>): string {
  return row.AccountName?.trim() || row.AccountId;
}

/** The accounts with the highest score, ties broken by name for a stable order. */
export function topAccounts(rows: AccountRow[], n: number): AccountRow[] {
  return [...rows].sort((a, b) => b.EngagementScore - a.EngagementScore || accountLabel(a).localeCompare(accountLabel(b))).slice(0, n);
}

/** The biggest score changes up and down (`EngagementScoreChange`), zero changes left out. */
export function biggestMovers(rows: AccountRow[], n: number): { up: AccountRow[]; down: AccountRow[] } {
  const changed = rows.filter((r) => r.EngagementScoreChange !== null && r.EngagementScoreChange !== 0);
  const byChange = (sign: 1 | -1) => (a: AccountRow, b: AccountRow) =>
    sign * ((b.EngagementScoreChange ?? 0) - (a.EngagementScoreChange ?? 0)) || accountLabel(a).localeCompare(accountLabel(b));
  return {
    up: changed.filter((r) => (r.EngagementScoreChange ?? 0) > 0).sort(byChange(1)).slice(0, n),
    down: changed.filter((r) => (r.EngagementScoreChange ?? 0) < 0).sort(byChange(-1)).slice(0, n),
  };
}
