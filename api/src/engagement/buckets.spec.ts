import {
  toIso,
  bucketEnd,
  bucketStart,
  isInWindow,
  isUpcoming,
  parseGraphDateTime,
  startOfIsoWeek,
  startOfUtcMonth,
  windowStartOf,
} from './buckets';

const T = Date.parse('2026-01-15T12:34:56.789Z');
const ms = (iso: string): number => Date.parse(iso);

describe('window', () => {
  it('when T is 2026-01-15T12:34, then W starts at the start of the UTC day 365 days before', () => {
    expect(new Date(windowStartOf(T)).toISOString()).toBe('2025-01-15T00:00:00.000Z');
  });

  it.each([
    ['2025-01-14T23:59:59.999Z', false],
    ['2025-01-15T00:00:00.000Z', true],
    ['2026-01-15T12:34:56.788Z', true],
    ['2026-01-15T12:34:56.789Z', false],
  ])('when t is %s, then in W is %s', (iso, expected) => {
    expect(isInWindow(ms(iso), T)).toBe(expected);
  });

  it.each([
    ['2026-01-15T12:34:56.788Z', false],
    ['2026-01-15T12:34:56.789Z', true],
    ['2026-04-15T12:34:56.788Z', true],
    ['2026-04-15T12:34:56.789Z', false],
  ])('when t is %s, then upcoming is %s', (iso, expected) => {
    expect(isUpcoming(ms(iso), T)).toBe(expected);
  });
});

describe('buckets', () => {
  it.each([
    ['2025-12-29T00:00:00Z', '2025-12-29T00:00:00.000Z'], // a Monday in ISO week 2026-W01
    ['2026-01-01T10:00:00Z', '2025-12-29T00:00:00.000Z'], // Thursday of the same ISO week
    ['2026-01-04T23:59:59Z', '2025-12-29T00:00:00.000Z'], // Sunday ends it
    ['2026-01-05T00:00:00Z', '2026-01-05T00:00:00.000Z'], // next Monday
    ['2025-12-28T23:59:59Z', '2025-12-22T00:00:00.000Z'],
  ])('when t is %s, then the ISO week starts %s', (iso, expected) => {
    expect(new Date(startOfIsoWeek(ms(iso))).toISOString()).toBe(expected);
  });

  it.each([
    ['2025-12-31T23:59:59Z', '2025-12-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z'],
    ['2026-01-01T00:00:00Z', '2026-01-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z'],
    ['2024-02-29T12:00:00Z', '2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z'],
  ])('when t is %s, then the month is [%s, %s)', (iso, start, end) => {
    expect(new Date(startOfUtcMonth(ms(iso))).toISOString()).toBe(start);
    expect(new Date(bucketEnd('month', startOfUtcMonth(ms(iso)), T)).toISOString()).toBe(end);
  });

  it('when the level is year, then the bucket is W itself', () => {
    expect(bucketStart('year', ms('2025-06-01T00:00:00Z'), T)).toBe(windowStartOf(T));
    expect(bucketEnd('year', windowStartOf(T), T)).toBe(T);
  });

  it('when the level is week, then the bucket ends 7 days after it starts', () => {
    expect(bucketEnd('week', ms('2025-12-29T00:00:00Z'), T)).toBe(ms('2026-01-05T00:00:00Z'));
  });
});

describe('parseGraphDateTime', () => {
  it.each([
    ['2026-01-06T09:00:00.0000000', '2026-01-06T09:00:00.000Z'],
    ['2026-01-06T09:00:00.1234567', '2026-01-06T09:00:00.123Z'],
    ['2026-01-05T10:00:00Z', '2026-01-05T10:00:00.000Z'],
    ['2026-01-05T10:00:00+02:00', '2026-01-05T08:00:00.000Z'],
    ['2026-01-05T10:00', '2026-01-05T10:00:00.000Z'],
  ])('when the value is %s, then it is read as %s', (value, expected) => {
    expect(new Date(parseGraphDateTime(value)).toISOString()).toBe(expected);
  });

  it.each([[null], [''], ['yesterday'], ['2026-01-0xT10:00:00Z'], ['2026/01/05T10:00:00Z'], ['2026-01-05 10:00:00Z']])('when the value is %j, then it is NaN', (value) => {
    expect(parseGraphDateTime(value as string | null)).toBeNaN();
  });

  // Mail's `…Z` form takes a fast path; it must read every such value as the general path does.
  it.each(['2026-01-05T10:00:00Z', '2024-02-29T23:59:59Z', '1999-12-31T00:00:00Z', '2026-13-01T00:00:00Z', '2026-02-30T25:61:61Z', '0099-01-01T00:00:00Z'])(
    'when the value is %s, then the fast path agrees with the general one',
    (value) => {
      expect(parseGraphDateTime(value)).toBe(parseGraphDateTime(` ${value}`));
    },
  );
});

describe('toIso', () => {
  it.each([
    0,
    1,
    999,
    86_399_999,
    Date.UTC(2024, 1, 29, 23, 59, 59, 999), // a leap day's last millisecond
    Date.UTC(2026, 10, 25, 9, 5, 7, 30),
    Date.UTC(2026, 10, 25, 9, 5, 7, 300),
    253_402_300_799_999, // 9999-12-31T23:59:59.999Z
    253_402_300_800_000, // year 10000: the slow path
    -1, // before 1970: the slow path
    1_700_000_000_000.5, // not a whole millisecond: the slow path
  ])('when formatting %p, then it is what Date.toISOString gives', (t) => {
    expect(toIso(t)).toBe(new Date(t).toISOString());
  });
});

