/**
 * Measures at the API edge: count, sum, average, minimum or maximum of a column over a
 * segment's accounts (or all accounts), on year rows, optionally month by month on month
 * rows. The arithmetic is the engagement domain's; this adds the request schema. The rows are
 * the viewer's (ResultsService), so a value the privacy threshold hides counts for nothing.
 */
import { z } from 'zod';
import { computeMeasure, computeMeasureByMonth, MEASURE_FUNCTIONS, type MeasureFunction } from '../engagement';
import type { OfficeRowView } from '../engagement/row-privacy';
import { OFFICE_COLUMNS, type OfficeColumn } from '../engagement/types';
import { isNumericColumn } from './segment-rules';

export const measureBodySchema = z
  .object({
    fn: z.enum(MEASURE_FUNCTIONS, { message: `must be one of ${MEASURE_FUNCTIONS.join(', ')}` }),
    /** Optional for count: then rows are counted. */
    column: z.enum(OFFICE_COLUMNS, { message: 'must be one of the Office columns' }).optional(),
    segmentId: z.string().min(1).optional(),
    byMonth: z.boolean().optional(),
  })
  .superRefine((m, ctx) => {
    if (m.fn === 'count') return;
    if (!m.column) ctx.addIssue({ code: 'custom', path: ['column'], message: `"${m.fn}" needs a numeric column` });
    else if (!isNumericColumn(m.column)) ctx.addIssue({ code: 'custom', path: ['column'], message: `${m.column} is not a number; "${m.fn}" works on numeric columns (count works on any)` });
  });
export type MeasureBody = z.infer<typeof measureBodySchema>;

/** count without a column counts rows (AccountId is never empty). */
const columnOf = (column: OfficeColumn | undefined): OfficeColumn => column ?? 'AccountId';

export function measure(rows: readonly OfficeRowView[], fn: MeasureFunction, column?: OfficeColumn): number | null {
  const value = computeMeasure(rows, { fn, column: columnOf(column) });
  return fn === 'avg' && value !== null ? Math.round(value * 100) / 100 : value;
}

export function measureByMonth(monthRows: readonly OfficeRowView[], fn: MeasureFunction, column?: OfficeColumn): { month: string; value: number | null }[] {
  return computeMeasureByMonth(monthRows, { fn, column: columnOf(column) }).map(({ month, value }) => ({
    month,
    value: fn === 'avg' && value !== null ? Math.round(value * 100) / 100 : value,
  }));
}
