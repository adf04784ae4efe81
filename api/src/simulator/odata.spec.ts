import { GraphFailure, parseMessageFilter, parseMessageOrderBy } from './odata';

const ms = (iso: string): number => Date.parse(iso);

function failure(fn: () => unknown): GraphFailure | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof GraphFailure) return e;
    throw e;
  }
  return undefined;
}

describe('parseMessageFilter', () => {
  it.each([
    ['no filter', undefined, -Infinity, Infinity, []],
    ['ge and lt', 'receivedDateTime ge 2025-01-10T00:00:00Z and receivedDateTime lt 2025-01-13T00:00:00Z', ms('2025-01-10T00:00:00Z'), ms('2025-01-13T00:00:00Z'), ['receivedDateTime']],
    ['keyset: ge and le with milliseconds', 'receivedDateTime ge 2025-01-01T00:00:00Z and receivedDateTime le 2025-01-05T10:00:02.123Z', ms('2025-01-01T00:00:00Z'), ms('2025-01-05T10:00:02.123Z') + 1, ['receivedDateTime']],
    ['gt and lt', 'receivedDateTime gt 2025-01-01T00:00:00Z and receivedDateTime lt 2025-02-01T00:00:00Z', ms('2025-01-01T00:00:00Z') + 1, ms('2025-02-01T00:00:00Z'), ['receivedDateTime']],
    ['three clauses, the tightest wins', 'receivedDateTime ge 2025-01-01T00:00:00Z and receivedDateTime lt 2025-03-01T00:00:00Z and receivedDateTime le 2025-02-01T00:00:00Z', ms('2025-01-01T00:00:00Z'), ms('2025-02-01T00:00:00Z') + 1, ['receivedDateTime']],
    ['a date only, parenthesised', '(receivedDateTime ge 2025-01-01)', ms('2025-01-01T00:00:00Z'), Infinity, ['receivedDateTime']],
    ['isDraft first', 'isDraft eq false and receivedDateTime ge 2025-01-01T00:00:00Z', ms('2025-01-01T00:00:00Z'), Infinity, ['isDraft', 'receivedDateTime']],
  ] as const)('when the filter is %s, then the range and the property order are read', (_name, raw, from, to, properties) => {
    const f = parseMessageFilter(raw);
    expect(f.range).toEqual({ fromMs: from, toMs: to });
    expect(f.properties).toEqual(properties);
  });

  it('when isDraft and parentFolderId clauses are given, then the predicate tests them', () => {
    const f = parseMessageFilter("receivedDateTime ge 2025-01-01T00:00:00Z and isDraft eq false and parentFolderId eq 'f''1'");
    expect(f.predicate!({ isDraft: false, parentFolderId: "f'1" })).toBe(true);
    expect(f.predicate!({ isDraft: null, parentFolderId: "f'1" })).toBe(true);
    expect(f.predicate!({ isDraft: true, parentFolderId: "f'1" })).toBe(false);
    expect(f.predicate!({ isDraft: false, parentFolderId: 'f1' })).toBe(false);
    expect(parseMessageFilter('receivedDateTime ge 2025-01-01T00:00:00Z').predicate).toBeUndefined();
  });

  it.each(["subject eq 'x'", 'receivedDateTime ge yesterday', 'receivedDateTime ge 2025-01-01T00:00:00Z or receivedDateTime lt 2025-02-01T00:00:00Z'])(
    'when the filter is %s, then 400 ErrorInvalidUrlQueryFilter',
    (raw) => {
      expect(failure(() => parseMessageFilter(raw))).toMatchObject({ status: 400, code: 'ErrorInvalidUrlQueryFilter' });
    },
  );
});

describe('parseMessageOrderBy', () => {
  const filter = (raw?: string): ReturnType<typeof parseMessageFilter> => parseMessageFilter(raw);
  const RANGE = 'receivedDateTime ge 2025-01-01T00:00:00Z and receivedDateTime lt 2025-02-01T00:00:00Z';

  it.each([
    [undefined, undefined, false],
    ['receivedDateTime desc', undefined, true],
    ['receivedDateTime desc', RANGE, true],
    ['ReceivedDateTime  DESC', RANGE, true],
    ['receivedDateTime', RANGE, false],
    ['receivedDateTime asc', `${RANGE} and isDraft eq false`, false],
  ] as const)('when $orderby is %p over $filter %p, then descending is %p', (orderBy, raw, desc) => {
    expect(parseMessageOrderBy(orderBy, filter(raw))).toBe(desc);
  });

  it.each([
    ['isDraft eq false and receivedDateTime ge 2025-01-01T00:00:00Z'],
    ['isDraft eq false'],
    ["parentFolderId eq 'f-inbox'"],
  ])('when receivedDateTime is not the first property of $filter %p, then 400 InefficientFilter with Graph’s message', (raw) => {
    expect(failure(() => parseMessageOrderBy('receivedDateTime desc', filter(raw)))).toMatchObject({
      status: 400,
      code: 'InefficientFilter',
      message: 'The restriction or sort order is too complex for this operation.',
    });
  });

  it('when $orderby names another property, then 400 ErrorInvalidParameter', () => {
    expect(failure(() => parseMessageOrderBy('sentDateTime desc', filter(RANGE)))).toMatchObject({ status: 400, code: 'ErrorInvalidParameter' });
  });
});
