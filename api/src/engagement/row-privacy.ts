/**
 * The privacy threshold (configuration rule `minimumColleagues`, docs/api.md "Privacy
 * threshold"). A row whose activity involves fewer colleagues than the threshold would show
 * those few colleagues' activity (an account only Alice writes to shows when Alice last wrote)
 * to everyone who can read results. Such a row keeps its score, band and bucket; its
 * per-activity columns become null and the row says why in `privacy`.
 *
 * Who sees a redacted row is the caller's decision (results-service.ts: every viewer who is
 * not an admin, and the bot); this module only knows rows. Pure, no I/O.
 */
import { evaluateCondition, isStale, type Rule } from './segments';
import { OFFICE_COLUMNS, type EngagementRules, type OfficeColumn, type OfficeRow } from './types';

/** What a hidden row still shows: who, when, and the score with its band and change. */
export const KEPT_COLUMNS = [
  'AccountId',
  'AccountName',
  'EngagementScore',
  'EngagementBand',
  'EngagementScoreChange',
  'AggregationStartdate',
  'AggregationLevel',
] as const satisfies readonly OfficeColumn[];
export type KeptColumn = (typeof KEPT_COLUMNS)[number];

/** Every per-activity column: counts, people counts, dates, the DaysSince and average columns, the Last and Next dates. */
export type ActivityColumn = Exclude<OfficeColumn, KeptColumn>;
const KEPT: ReadonlySet<OfficeColumn> = new Set(KEPT_COLUMNS);
export const ACTIVITY_COLUMNS: readonly ActivityColumn[] = OFFICE_COLUMNS.filter((c): c is ActivityColumn => !KEPT.has(c));

export function isActivityColumn(column: OfficeColumn): column is ActivityColumn {
  return !KEPT.has(column);
}

/** On a hidden row: its activity columns are null because of this threshold. */
export interface RowPrivacy {
  hidden: true;
  /** The configured `minimumColleagues` the row falls below. */
  minimumColleagues: number;
}

/**
 * An `Office` row as a viewer receives it: an ordinary row, or a hidden one whose activity
 * columns are null and which carries `privacy`. `OfficeRow` is one of these.
 */
export type OfficeRowView = { [K in KeptColumn]: OfficeRow[K] } & { [K in ActivityColumn]: OfficeRow[K] | null } & { privacy?: RowPrivacy };

/** The threshold's default: 1 hides nothing. */
export const DEFAULT_MINIMUM_COLLEAGUES = 1;
/** Above this the setting would hide nearly every row of any realistic tenant; it is a typo. */
export const MAX_MINIMUM_COLLEAGUES = 100;

/**
 * How many colleagues (members of S) a row involves, as far as the row tells: the larger of
 * its email and meeting counts. The union is not stored, and it is at least this many, so the
 * threshold errs on the side of hiding (a row with one colleague by email and another in
 * meetings counts as 1).
 */
export function colleaguesInvolved(row: Pick<OfficeRow, 'NoOfContactsInvolved_Emails' | 'NoOfContactsInvolved_Meetings'>): number {
  return Math.max(row.NoOfContactsInvolved_Emails, row.NoOfContactsInvolved_Meetings);
}

/**
 * Whether the threshold hides the row. 1 (and anything below) hides nothing. From 2 up, rows
 * with no colleague involved are hidden too: otherwise "hidden" would read as "exactly one
 * colleague was active here", and a week with no activity reveals nothing worth keeping.
 */
export function isBelowThreshold(row: OfficeRow, minimumColleagues: number): boolean {
  return minimumColleagues > 1 && colleaguesInvolved(row) < minimumColleagues;
}

/** The row as a viewer under the threshold sees it: unchanged, or hidden. */
export function redactRow(row: OfficeRow, minimumColleagues: number): OfficeRowView {
  if (!isBelowThreshold(row, minimumColleagues)) return row;
  const hidden: OfficeRowView = { ...row, privacy: { hidden: true, minimumColleagues } };
  for (const column of ACTIVITY_COLUMNS) hidden[column] = null;
  return hidden;
}

export function isHidden(row: OfficeRowView): boolean {
  return row.privacy?.hidden === true;
}

/**
 * A segment rule on a row as viewed. On a hidden row a condition on an activity column is
 * unknown and never matches (not even `isEmpty` or `!=`), so membership cannot tell anything
 * about a hidden value; conditions on the kept columns work as usual. Visible rows are
 * evaluated exactly as before.
 */
export function evaluateRuleAsViewed(rule: Rule, row: OfficeRowView): boolean {
  if (rule.kind === 'condition') {
    if (isHidden(row) && isActivityColumn(rule.column)) return false;
    // Here the column is known: a kept column, or any column of a visible (complete) row.
    return evaluateCondition(rule, row as OfficeRow);
  }
  return rule.op === 'and' ? rule.children.every((c) => evaluateRuleAsViewed(c, row)) : rule.children.some((c) => evaluateRuleAsViewed(c, row));
}

/**
 * Stale (DESIGN.md §3) as a viewer may know it: a hidden row is never stale, because staleness
 * is the hidden recency itself ("no one wrote for 60 days"), and a hidden row read as "never"
 * would raise a false alarm for every small account.
 */
export function isStaleAsViewed(row: OfficeRowView, rules: Pick<EngagementRules, 'staleDays' | 'upcomingMeetingSuppressesStale'>): boolean {
  return !isHidden(row) && isStale(row as OfficeRow, rules);
}
