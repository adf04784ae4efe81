import { computeMeasure, computeMeasureByMonth } from './measures';
import type { OfficeRow } from './types';

const r = (level: OfficeRow['AggregationLevel'], start: string, score: number, days: number | null): OfficeRow =>
  ({ AccountId: 'A', AggregationLevel: level, AggregationStartdate: start, EngagementScore: score, DaysSinceLastemail: days }) as OfficeRow;

const rows = [
  r('month', '2025-12-01T00:00:00.000Z', 40, 3),
  r('month', '2025-11-01T00:00:00.000Z', 20, null),
  r('month', '2025-12-01T00:00:00.000Z', 80, 5),
  r('year', '2025-01-15T00:00:00.000Z', 99, 1),
];

describe('computeMeasure', () => {
  it.each([
    ['count', 'EngagementScore', 4],
    ['count', 'DaysSinceLastemail', 3],
    ['sum', 'EngagementScore', 239],
    ['avg', 'DaysSinceLastemail', 3],
    ['min', 'EngagementScore', 20],
    ['max', 'DaysSinceLastemail', 5],
  ] as const)('when the measure is %s of %s, then it is %d', (fn, column, expected) => {
    expect(computeMeasure(rows, { fn, column })).toBe(expected);
  });

  it.each([
    ['sum', 0],
    ['avg', null],
    ['min', null],
    ['max', null],
    ['count', 0],
  ] as const)('when there are no values, then %s is %s', (fn, expected) => {
    expect(computeMeasure([], { fn, column: 'EngagementScore' })).toBe(expected);
  });
});

describe('computeMeasureByMonth', () => {
  it('when month rows span two months, then the measure is per month, oldest first, ignoring other levels', () => {
    expect(computeMeasureByMonth(rows, { fn: 'avg', column: 'EngagementScore' })).toEqual([
      { month: '2025-11-01T00:00:00.000Z', value: 20 },
      { month: '2025-12-01T00:00:00.000Z', value: 60 },
    ]);
  });
});
