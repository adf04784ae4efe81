/**
 * Segments: a small rule model over `Office` row columns, its zod schema (the API validates
 * requests with it) and the default "stale accounts" segment (DESIGN.md §3).
 */
import { z } from 'zod';
import { OFFICE_COLUMNS, type EngagementRules, type OfficeColumn, type OfficeRow } from './types';

export const RULE_OPERATORS = ['>', '>=', '<', '<=', '=', '!=', 'isEmpty', 'isNotEmpty'] as const;
export type RuleOperator = (typeof RULE_OPERATORS)[number];

export interface RuleCondition {
  kind: 'condition';
  column: OfficeColumn;
  operator: RuleOperator;
  value?: string | number;
}
export interface RuleGroup {
  kind: 'group';
  op: 'and' | 'or';
  children: (RuleGroup | RuleCondition)[];
}
export type Rule = RuleGroup | RuleCondition;

const VALUELESS: ReadonlySet<RuleOperator> = new Set(['isEmpty', 'isNotEmpty']);

export const ruleConditionSchema = z
  .object({
    kind: z.literal('condition'),
    column: z.enum(OFFICE_COLUMNS),
    operator: z.enum(RULE_OPERATORS),
    value: z.union([z.string().max(200), z.number().finite()]).optional(),
  })
  .strict()
  .refine((c) => VALUELESS.has(c.operator) || c.value !== undefined, { message: 'This operator needs a value.', path: ['value'] });

export const ruleGroupSchema: z.ZodType<RuleGroup> = z.lazy(() =>
  z
    .object({
      kind: z.literal('group'),
      op: z.enum(['and', 'or']),
      children: z.array(z.union([ruleGroupSchema, ruleConditionSchema])).max(50),
    })
    .strict(),
);

/** A segment definition as the API accepts it: a top-level group. */
export const ruleSchema = ruleGroupSchema;

const DATE_COLUMNS: ReadonlySet<OfficeColumn> = new Set([
  'EngagementStartdate',
  'AggregationStartdate',
  'LastInboundDate',
  'LastOutboundDate',
  'NextMeetingDate',
]);

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
export function staleRule(rules: Pick<EngagementRules, 'staleDays' | 'upcomingMeetingSuppressesStale'>): RuleGroup {
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
export function isStale(yearRow: OfficeRow, rules: Pick<EngagementRules, 'staleDays' | 'upcomingMeetingSuppressesStale'>): boolean {
  const over = (days: number | null): boolean => days === null || days > rules.staleDays;
  if (!over(yearRow.DaysSinceLastemail) || !over(yearRow.DaysSinceLastMeeting)) return false;
  return !(rules.upcomingMeetingSuppressesStale && yearRow.NextMeetingDate !== null);
}
