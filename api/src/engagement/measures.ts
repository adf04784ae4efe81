/**
 * Measures for the dashboard: one aggregate over a column of `Office` rows, overall or by month.
 */
import { compareIds } from './account-directory';
import type { OfficeRowView } from './row-privacy';
import type { OfficeColumn } from './types';

export const MEASURE_FUNCTIONS = ['count', 'sum', 'avg', 'min', 'max'] as const;
export type MeasureFunction = (typeof MEASURE_FUNCTIONS)[number];

export interface Measure {
  fn: MeasureFunction;
  column: OfficeColumn;
}

/**
 * `count` counts rows whose cell is not empty; `sum` of nothing is 0; `avg`, `min` and `max`
 * of nothing are null. Only numeric cells enter sum, avg, min and max, so the null cells of a
 * row hidden by the privacy threshold (row-privacy.ts) count for nothing.
 */
export function computeMeasure(rows: readonly OfficeRowView[], measure: Measure): number | null {
  const cells = rows.map((r) => r[measure.column]);
  if (measure.fn === 'count') return cells.filter((c) => c !== null && c !== undefined && c !== '').length;
  const numbers = cells.filter((c): c is number => typeof c === 'number' && Number.isFinite(c));
  switch (measure.fn) {
    case 'sum':
      return numbers.reduce((a, b) => a + b, 0);
    case 'avg':
      return numbers.length === 0 ? null : numbers.reduce((a, b) => a + b, 0) / numbers.length;
    case 'min':
      return numbers.length === 0 ? null : numbers.reduce((a, b) => (b < a ? b : a));
    case 'max':
      return numbers.length === 0 ? null : numbers.reduce((a, b) => (b > a ? b : a));
  }
}

/** The measure over month-level rows, grouped by AggregationStartdate, oldest month first. */
export function computeMeasureByMonth(rows: readonly OfficeRowView[], measure: Measure): { month: string; value: number | null }[] {
  const byMonth = new Map<string, OfficeRowView[]>();
  for (const row of rows) {
    if (row.AggregationLevel !== 'month') continue;
    const list = byMonth.get(row.AggregationStartdate);
    if (list) list.push(row);
    else byMonth.set(row.AggregationStartdate, [row]);
  }
  return [...byMonth.keys()].sort(compareIds).map((month) => ({ month, value: computeMeasure(byMonth.get(month)!, measure) }));
}
