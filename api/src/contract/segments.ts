/**
 * Segment rules on the wire, defined once: the types, the request schema with its messages,
 * and (through the same schemas) the OpenAPI `SegmentGroup`/`SegmentCondition`. The pure
 * evaluation over these types lives in engagement/segments.ts; the stored state and the tab
 * use the same schemas.
 *
 * A `value: null` on isEmpty/isNotEmpty (older tabs send it) is accepted and dropped, so a
 * rule read back never carries it. Groups nest at most MAX_RULE_DEPTH deep; the depth is
 * checked without recursion before the recursive schema runs, so a rule 1,000 groups deep
 * is a 400, not a stack overflow.
 */
import { z } from 'zod';
import { MEASURE_FUNCTIONS } from '../engagement/measures';
import { DATE_COLUMNS, isNumericColumn, OFFICE_COLUMNS, RULE_OPERATORS, type OfficeColumn, type RuleOperator } from '../engagement/types';

export { RULE_OPERATORS, type RuleOperator };
import { nameSchema } from './config';
import { officeRowViewSchema } from './office';

export const MAX_RULE_DEPTH = 6;
export const MAX_RULE_CHILDREN = 50;

export interface SegmentCondition {
  kind: 'condition';
  column: OfficeColumn;
  operator: RuleOperator;
  value?: string | number;
}
export interface SegmentGroup {
  kind: 'group';
  op: 'and' | 'or';
  children: (SegmentGroup | SegmentCondition)[];
}
/** A segment definition: a top-level group. */
export type SegmentRule = SegmentGroup;

const VALUELESS: ReadonlySet<RuleOperator> = new Set(['isEmpty', 'isNotEmpty']);

const dropNullValue = (raw: unknown): unknown => {
  if (typeof raw !== 'object' || raw === null || !('value' in raw) || (raw as { value: unknown }).value !== null) return raw;
  const { value: _dropped, ...rest } = raw as Record<string, unknown>;
  return rest;
};

export const segmentConditionSchema: z.ZodType<SegmentCondition> = z
  .strictObject({
    kind: z.literal('condition'),
    column: z.enum(OFFICE_COLUMNS, { message: `must be one of the Office columns: ${OFFICE_COLUMNS.join(', ')}` }).describe('The Office column the condition reads.'),
    operator: z.enum(RULE_OPERATORS, { message: `must be one of ${RULE_OPERATORS.join(' ')}` }).describe('Empty cells (null) satisfy only isEmpty and !=; text compares case-insensitively; dates compare as instants.'),
    value: z.union([z.string().max(200), z.number()]).optional().describe('What the column is compared with; none for isEmpty and isNotEmpty.'),
  })
  .superRefine((c, ctx) => {
    if (VALUELESS.has(c.operator)) return;
    if (c.value === undefined || c.value === '') {
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
  .meta({ id: 'SegmentCondition' });

type Discriminable = [z.ZodObject<{ kind: z.ZodLiteral<'condition'> }>, z.ZodObject<{ kind: z.ZodLiteral<'group'> }>];

export const segmentGroupSchema: z.ZodType<SegmentGroup> = z
  .lazy(() => {
    // The discriminator is visible at run time through z.lazy, not to the types.
    const child = z.preprocess(
      dropNullValue,
      z.discriminatedUnion('kind', [segmentConditionSchema, segmentGroupSchema] as unknown as Discriminable, {
        message: 'each child needs kind "condition" or "group"',
      }),
    ) as unknown as z.ZodType<SegmentCondition | SegmentGroup>;
    return z.strictObject({
      kind: z.literal('group'),
      op: z.enum(['and', 'or'], { message: 'must be "and" or "or"' }).describe('and: every child matches (an empty group matches every row); or: any child matches (an empty group matches none).'),
      children: z.array(child).max(MAX_RULE_CHILDREN, `a group holds at most ${MAX_RULE_CHILDREN} conditions`),
    });
  })
  .meta({ id: 'SegmentGroup', description: `A group of conditions and groups, nested at most ${MAX_RULE_DEPTH} deep.` });

/**
 * How deep groups nest in a raw (unvalidated) rule, counted with an explicit stack: the schema
 * recurses once per level, so the depth is checked before it runs, never by recursion.
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

/**
 * A whole rule, as requests send it: the nesting is checked first (a transform, so the
 * OpenAPI input schema is the group's own), then the recursive schema.
 */
export const segmentRuleSchema: z.ZodType<SegmentRule, unknown> = z
  .transform((raw: unknown, ctx) => {
    const depth = rawGroupDepth(raw);
    if (depth > MAX_RULE_DEPTH) ctx.addIssue({ code: 'custom', message: `groups nest at most ${MAX_RULE_DEPTH} deep and this rule nests ${depth}; flatten it` });
    return raw;
  })
  .pipe(segmentGroupSchema);

export const segmentBodySchema = z.object({
  name: nameSchema({ what: 'a name', empty: 'give the segment a name', max: 100 }),
  rule: segmentRuleSchema,
});
export const segmentPreviewBodySchema = z.object({ rule: segmentRuleSchema });
export const segmentMembersQuerySchema = z.object({ format: z.enum(['json', 'csv'], { message: 'must be json or csv' }).default('json') });

export const segmentSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    rule: segmentGroupSchema,
    builtIn: z.boolean().describe('The built-in "stale" segment: its rule follows the configuration and it cannot be changed.'),
    memberCount: z.number().int().min(0).describe('Accounts (year rows) the rule selects, as the caller sees them.'),
    createdBy: z.string().nullable().describe('Extra: who created it; null for the built-in one.'),
    updatedAt: z.string().nullable().describe('Extra: when it last changed (ISO 8601, UTC); null for the built-in one.'),
  })
  .meta({ id: 'Segment' });
export type Segment = z.infer<typeof segmentSchema>;
export const segmentListSchema = z.object({ segments: z.array(segmentSchema).describe('The built-in "stale" segment first.') });
export const segmentMembersSchema = z
  .object({ total: z.number().int().min(0), members: z.array(officeRowViewSchema).describe('Year rows; a preview holds the first 50.') })
  .meta({ id: 'SegmentMembers' });

/** Measures: count, sum, average, minimum or maximum of a column over a segment (or all accounts). */
export const measureBodySchema = z
  .object({
    fn: z.enum(MEASURE_FUNCTIONS, { message: `must be one of ${MEASURE_FUNCTIONS.join(', ')}` }),
    column: z.enum(OFFICE_COLUMNS, { message: 'must be one of the Office columns' }).optional().describe('Optional for count: then rows are counted.'),
    segmentId: z.string().min(1).optional().describe('Absent: all accounts.'),
    byMonth: z.boolean().optional().describe('Also answer the measure month by month, on month rows.'),
  })
  .superRefine((m, ctx) => {
    if (m.fn === 'count') return;
    if (!m.column) ctx.addIssue({ code: 'custom', path: ['column'], message: `"${m.fn}" needs a numeric column` });
    else if (!isNumericColumn(m.column)) ctx.addIssue({ code: 'custom', path: ['column'], message: `${m.column} is not a number; "${m.fn}" works on numeric columns (count works on any)` });
  });
export type MeasureBody = z.infer<typeof measureBodySchema>;
export const measureResultSchema = z
  .object({
    value: z.number().nullable().describe('Null: avg, min or max of no number.'),
    byMonth: z.array(z.object({ month: z.string().describe('AggregationStartdate of the month.'), value: z.number().nullable() })).optional(),
  })
  .meta({ id: 'MeasureResult' });
export type MeasureResult = z.infer<typeof measureResultSchema>;
