/**
 * Segment rules at the API edge (docs/api.md: SegmentRule). The rule model, its evaluation
 * and the stale rule live in the engagement domain; this schema adds what a person needs to
 * fix a request: a value that fits the column's type, a depth limit (checked without
 * recursion, before the recursive schema runs), and readable messages.
 * A `value: null` on isEmpty/isNotEmpty (the tab sends it) is accepted and dropped.
 */
import { z } from 'zod';
import { evaluateRule, isStale, staleRule, type RuleCondition, type RuleGroup } from '../engagement';
import { OFFICE_COLUMNS, type EngagementRules, type OfficeColumn } from '../engagement/types';

export const OPERATORS = ['>', '>=', '<', '<=', '=', '!=', 'isEmpty', 'isNotEmpty'] as const;
export type ConditionOperator = (typeof OPERATORS)[number];

export type SegmentCondition = RuleCondition;
export type SegmentGroup = RuleGroup;
export type SegmentRule = RuleGroup;

export const DATE_COLUMNS: ReadonlySet<OfficeColumn> = new Set<OfficeColumn>([
  'EngagementStartdate',
  'AggregationStartdate',
  'LastInboundDate',
  'LastOutboundDate',
  'NextMeetingDate',
]);
export const TEXT_COLUMNS: ReadonlySet<OfficeColumn> = new Set<OfficeColumn>(['AccountId', 'AccountName', 'AggregationLevel', 'EngagementBand']);
export function isNumericColumn(column: OfficeColumn): boolean {
  return !DATE_COLUMNS.has(column) && !TEXT_COLUMNS.has(column);
}

const MAX_DEPTH = 6;
const MAX_CHILDREN = 50;

export const conditionSchema: z.ZodType<SegmentCondition> = z
  .object({
    kind: z.literal('condition'),
    column: z.enum(OFFICE_COLUMNS, { message: `must be one of the Office columns: ${OFFICE_COLUMNS.join(', ')}` }),
    operator: z.enum(OPERATORS, { message: `must be one of ${OPERATORS.join(' ')}` }),
    value: z.union([z.string().max(200), z.number().finite(), z.null()]).optional(),
  })
  .superRefine((c, ctx) => {
    if (c.operator === 'isEmpty' || c.operator === 'isNotEmpty') return;
    if (c.value === undefined || c.value === null || c.value === '') {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `operator "${c.operator}" needs a value to compare ${c.column} with` });
      return;
    }
    if (isNumericColumn(c.column) && !Number.isFinite(Number(c.value))) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `${c.column} is a number; "${c.value}" is not` });
    }
    if (DATE_COLUMNS.has(c.column) && Number.isNaN(Date.parse(String(c.value)))) {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `${c.column} is a date; use an ISO date such as 2026-01-31, not "${c.value}"` });
    }
  })
  .transform(({ value, ...rest }): SegmentCondition => (value === null || value === undefined ? rest : { ...rest, value }));

type Discriminable = [z.ZodObject<{ kind: z.ZodLiteral<'condition'> }>, z.ZodObject<{ kind: z.ZodLiteral<'group'> }>];

export const groupSchema: z.ZodType<SegmentGroup> = z.lazy(() => {
  // The discriminator is visible at run time through .transform and z.lazy, not to the types.
  const child = z.discriminatedUnion('kind', [conditionSchema, groupSchema] as unknown as Discriminable, {
    message: 'each child needs kind "condition" or "group"',
  }) as unknown as z.ZodType<SegmentCondition | SegmentGroup>;
  return z.object({
    kind: z.literal('group'),
    op: z.enum(['and', 'or'], { message: 'must be "and" or "or"' }),
    children: z.array(child).max(MAX_CHILDREN, `a group holds at most ${MAX_CHILDREN} conditions`),
  });
});

/**
 * How deep groups nest in a raw (unvalidated) rule, counted with an explicit stack: the schema
 * below recurses once per level, so the depth is checked before it runs, never by recursion.
 */
export function rawGroupDepth(value: unknown): number {
  const isGroup = (v: unknown): v is { children: unknown[] } => typeof v === 'object' && v !== null && Array.isArray((v as { children?: unknown }).children);
  let deepest = 0;
  const stack: [unknown, number][] = isGroup(value) ? [[value, 1]] : [];
  while (stack.length > 0) {
    const [group, depth] = stack.pop()! as [{ children: unknown[] }, number];
    deepest = Math.max(deepest, depth);
    for (const child of group.children) if (isGroup(child)) stack.push([child, depth + 1]);
  }
  return deepest;
}

/** A whole rule: the nesting is checked first, so a rule 1,000 groups deep is a 400, not a stack overflow. */
export const segmentRuleSchema = z
  .unknown()
  .superRefine((raw, ctx) => {
    const depth = rawGroupDepth(raw);
    if (depth > MAX_DEPTH) ctx.addIssue({ code: 'custom', message: `groups nest at most ${MAX_DEPTH} deep and this rule nests ${depth}; flatten it` });
  })
  .pipe(groupSchema);

export type StaleRules = Pick<EngagementRules, 'staleDays' | 'upcomingMeetingSuppressesStale'>;

export { evaluateRule, isStale, staleRule };
