/**
 * Segments: the evaluation of a rule (contract/segments.ts) over `Office` rows, and the default
 * "stale accounts" segment (DESIGN.md §3) with its two groups. Pure, no I/O. This is the one
 * definition of stale: the overview's counts, the built-in segments and the customer card use
 * it with the configured rules (ResultsService.staleRules).
 */
import type { SegmentCondition, SegmentGroup } from '../contract/segments';
import { DATE_COLUMNS, type EngagementRules, type OfficeColumn, type OfficeRow } from './types';

// The rule model is the wire contract's (contract/segments.ts): one definition of its shape.
// Only types come from there, so the pure domain never loads zod schemas.
export { RULE_OPERATORS, type RuleOperator } from './types';
export type RuleCondition = SegmentCondition;
export type RuleGroup = SegmentGroup;
export type Rule = RuleGroup | RuleCondition;
export type StaleRules = Pick<EngagementRules, 'staleDays' | 'upcomingMeetingSuppressesStale'>;

const isEmptyValue = (v: unknown): boolean => v === null || v === undefined || v === '';

/** Comparable forms of the row value and the rule value, or null when they cannot be compared. */
function comparable(column: OfficeColumn, cell: unknown, value: string | number | undefined): [number, number] | [string, string] | null {
  if (isEmptyValue(cell) || value === undefined) return null;
  if (DATE_COLUMNS.has(column)) {
    const a = Date.parse(String(cell));
    const b = typeof value === 'number' ? value : Date.parse(value);
    return Number.isNaN(a) || Number.isNaN(b) ? null : [a, b];
  }
  if (typeof cell === 'number') {
    const b = typeof value === 'number' ? value : value.trim() === '' ? Number.NaN : Number(value);
    return Number.isNaN(b) ? null : [cell, b];
  }
  return [String(cell).toLowerCase(), String(value).toLowerCase()];
}

/**
 * Evaluates a condition on a row. Empty cells (null) satisfy only `isEmpty` and `!=`; text
 * compares case-insensitively; date columns compare as instants.
 */
export function evaluateCondition(condition: RuleCondition, row: OfficeRow): boolean {
  const cell = row[condition.column];
  switch (condition.operator) {
    case 'isEmpty':
      return isEmptyValue(cell);
    case 'isNotEmpty':
      return !isEmptyValue(cell);
    case '=':
    case '!=':
    case '>':
    case '>=':
    case '<':
    case '<=': {
      const pair = comparable(condition.column, cell, condition.value);
      if (pair === null) return condition.operator === '!=';
      const [a, b] = pair;
      switch (condition.operator) {
        case '=':
          return a === b;
        case '!=':
          return a !== b;
        case '>':
          return a > b;
        case '>=':
          return a >= b;
        case '<':
          return a < b;
        case '<=':
          return a <= b;
      }
    }
  }
}

/** An empty `and` group matches every row; an empty `or` group matches none. */
export function evaluateRule(rule: Rule, row: OfficeRow): boolean {
  if (rule.kind === 'condition') return evaluateCondition(rule, row);
  return rule.op === 'and' ? rule.children.every((c) => evaluateRule(c, row)) : rule.children.some((c) => evaluateRule(c, row));
}

/** The stale segment as a rule: both DaysSince above the threshold or null, and, if suppression is on, no NextMeetingDate. */
export function staleRule(rules: StaleRules): RuleGroup {
  const overThreshold = (column: OfficeColumn): RuleGroup => ({
    kind: 'group',
    op: 'or',
    children: [
      { kind: 'condition', column, operator: 'isEmpty' },
      { kind: 'condition', column, operator: '>', value: rules.staleDays },
    ],
  });
  const children: Rule[] = [overThreshold('DaysSinceLastemail'), overThreshold('DaysSinceLastMeeting')];
  if (rules.upcomingMeetingSuppressesStale) children.push({ kind: 'condition', column: 'NextMeetingDate', operator: 'isEmpty' });
  return { kind: 'group', op: 'and', children };
}

/** Stale (DESIGN.md §3) for a year row. Null DaysSince means never and counts as above the threshold. */
export function isStale(yearRow: OfficeRow, rules: StaleRules): boolean {
  const over = (days: number | null): boolean => days === null || days > rules.staleDays;
  if (!over(yearRow.DaysSinceLastemail) || !over(yearRow.DaysSinceLastMeeting)) return false;
  return !(rules.upcomingMeetingSuppressesStale && yearRow.NextMeetingDate !== null);
}

/**
 * The two groups inside the stale set. DESIGN §3 counts a never-contacted account as stale
 * (null DaysSince is "never", above any threshold), and the stale count stays DESIGN's; but
 * telling a seller to "reactivate" an account nobody ever wrote to or met is wrong, so the
 * product names the two apart:
 * - `goneQuiet`: had an email or a past meeting in the window, none for more than the threshold;
 * - `neverContacted`: no email and no past meeting in the whole window.
 */
export const STALE_GROUPS = ['goneQuiet', 'neverContacted'] as const;
export type StaleGroup = (typeof STALE_GROUPS)[number];

/** Which stale group a year row is in; null when it is not stale. */
export function staleGroupOf(yearRow: OfficeRow, rules: StaleRules): StaleGroup | null {
  if (!isStale(yearRow, rules)) return null;
  return yearRow.DaysSinceLastemail === null && yearRow.DaysSinceLastMeeting === null ? 'neverContacted' : 'goneQuiet';
}

/**
 * A stale group as a rule: the stale rule and the group's own condition, so a segment (its
 * member list, CSV and measures) lists exactly the accounts `staleGroupOf` puts in the group.
 */
export function staleGroupRule(group: StaleGroup, rules: StaleRules): RuleGroup {
  const stale = staleRule(rules);
  switch (group) {
    case 'neverContacted':
      return {
        kind: 'group',
        op: 'and',
        children: [...stale.children, { kind: 'condition', column: 'DaysSinceLastemail', operator: 'isEmpty' }, { kind: 'condition', column: 'DaysSinceLastMeeting', operator: 'isEmpty' }],
      };
    case 'goneQuiet':
      return {
        kind: 'group',
        op: 'and',
        children: [
          ...stale.children,
          {
            kind: 'group',
            op: 'or',
            children: [
              { kind: 'condition', column: 'DaysSinceLastemail', operator: 'isNotEmpty' },
              { kind: 'condition', column: 'DaysSinceLastMeeting', operator: 'isNotEmpty' },
            ],
          },
        ],
      };
  }
}
