/**
 * Measures at the API edge: count, sum, average, minimum or maximum of a column over a
 * segment's accounts (or all accounts), on year rows, optionally month by month on month
 * rows. The arithmetic is the engagement domain's and the request schema the contract's
 * (contract/segments.ts measureBodySchema); this adds the rounding of averages. The rows are
 * the viewer's (ResultsService), so a value the privacy threshold hides counts for nothing.
 */
import { computeMeasure, computeMeasureByMonth, type MeasureFunction } from '../engagement';
import type { OfficeRowView } from '../engagement/row-privacy';
import type { OfficeColumn } from '../engagement/types';

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
