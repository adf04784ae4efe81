/**
 * The partial aggregate's algebra: merges commute and associate, results do not depend on
 * merge order or grouping, and serialisation round-trips without clear text.
 */
import fc from 'fast-check';
import { tenantArb } from './__tests__/arbitraries';
import { ALICE, BOB, CAROL, evt, makeContext, makeDirectory, msg, reduceMailboxes, type MailboxData } from './__tests__/builders';
import { computeResults } from './compute-results';
import { differenceSorted, emptyPartial, mergeInto, mergePartials, sortUnique, unionSorted, type MailboxPartial } from './partial';
import { deserializePartial, serializePartial } from './partial-serialization';

const ctx = makeContext();
const directory = makeDirectory();
const partialsOf = ([a, b, c]: MailboxData[]) =>
  reduceMailboxes(ctx, directory, { [ALICE.id]: a, [BOB.id]: b, [CAROL.id]: c });
const canonical = (p: MailboxPartial) => JSON.stringify(serializePartial(p));

describe('mergePartials properties', () => {
  it('when partials are merged in any order, then the merged partial is the same', () => {
    fc.assert(
      fc.property(tenantArb, ([a, b, c]) => {
        const [p1, p2, p3] = partialsOf([a, b, c]);
        expect(canonical(mergePartials(p1, p2))).toBe(canonical(mergePartials(p2, p1)));
        expect(canonical(mergePartials(mergePartials(p1, p2), p3))).toBe(canonical(mergePartials(p1, mergePartials(p2, p3))));
        expect(canonical(mergePartials(p1, emptyPartial()))).toBe(canonical(p1));
      }),
      { numRuns: 150 },
    );
  });

  it('when partials are merged in any order or grouping, then the final rows are identical', () => {
    fc.assert(
      fc.property(tenantArb, fc.constantFrom([0, 1, 2], [2, 1, 0], [1, 2, 0]), ([a, b, c], order) => {
        const partials = partialsOf([a, b, c]);
        const leftFold = partials.reduce((acc, p) => mergeInto(acc, p), emptyPartial());
        const permuted = order.reduce((acc, i) => mergeInto(acc, partials[i]), emptyPartial());
        const grouped = mergePartials(partials[order[0]], mergePartials(partials[order[1]], partials[order[2]]));
        const expected = computeResults(ctx, directory, leftFold);
        expect(computeResults(ctx, directory, permuted)).toEqual(expected);
        expect(computeResults(ctx, directory, grouped)).toEqual(expected);
      }),
      { numRuns: 150 },
    );
  });

  it('when mergePartials runs, then neither input changes', () => {
    fc.assert(
      fc.property(tenantArb, ([a, b, c]) => {
        const [p1, p2] = partialsOf([a, b, c]);
        const before = [canonical(p1), canonical(p2)];
        const merged = mergePartials(p1, p2);
        mergeInto(merged, p1); // mutating the result must not reach the inputs either
        expect([canonical(p1), canonical(p2)]).toEqual(before);
      }),
      { numRuns: 50 },
    );
  });
});

describe('serializePartial and deserializePartial', () => {
  it('when a partial goes through JSON and back, then nothing is lost', () => {
    fc.assert(
      fc.property(tenantArb, ([a, b, c]) => {
        const merged = partialsOf([a, b, c]).reduce((acc, p) => mergeInto(acc, p), emptyPartial());
        const restored = deserializePartial(JSON.parse(JSON.stringify(serializePartial(merged))));
        expect(restored).toEqual(merged);
        expect(computeResults(ctx, directory, restored)).toEqual(computeResults(ctx, directory, merged));
      }),
      { numRuns: 100 },
    );
  });

  it('when a partial is serialised, then it holds no clear-text ids, conversations or addresses', () => {
    // Arrange
    const [p] = reduceMailboxes(ctx, directory, {
      [ALICE.id]: {
        messages: [msg({ imid: '<secret-id@contoso.com>', to: ['jane@fabrikam.com'], conv: 'conversation-secret', sent: '2026-01-02T10:00:00Z' })],
        events: [evt({ ical: 'ical-secret', attendees: [['jane@fabrikam.com']], start: '2026-01-02T10:00:00Z' })],
      },
    });
    // Act
    const text = JSON.stringify(serializePartial(p));
    // Assert
    expect(p.emails.size).toBe(1);
    expect(p.meetings.size).toBe(1);
    for (const secret of ['secret-id', 'conversation-secret', 'ical-secret', 'jane', 'fabrikam']) expect(text).not.toContain(secret);
  });

  it.each([
    ['null', null],
    ['a wrong format', { format: 'other' }],
    ['the earlier format', { format: 'rapport.partial/1', mailboxes: [], emails: [], meetings: [], threads: [], contacts: [] }],
    ['a broken email entry', { format: 'rapport.partial/2', mailboxes: [], emails: [['k', 'not a time']], meetings: [], threads: [], contacts: [] }],
    ['a meeting entry of the earlier shape', { format: 'rapport.partial/2', mailboxes: [], emails: [], meetings: [['k', 1, 2, 'i', [], []]], threads: [], contacts: [] }],
    ['a broken thread', { format: 'rapport.partial/2', mailboxes: [], emails: [], meetings: [], threads: [['c', ['x']]], contacts: [] }],
  ])('when the data is %s, then deserialising fails with STORE_CORRUPT', (_label, data) => {
    expect(() => deserializePartial(data)).toThrow(expect.objectContaining({ code: 'STORE_CORRUPT' }));
  });
});

describe('sorted-array helpers', () => {
  it.each([
    [[], [], []],
    [['a', 'c'], ['b'], ['a', 'b', 'c']],
    [['a', 'b'], ['b'], ['a', 'b']],
    [[1, 3], [2, 3, 4], [1, 2, 3, 4]],
  ])('when %j ∪ %j, then the result is %j', (a, b, expected) => {
    expect(unionSorted<string | number>(a, b)).toEqual(expected);
  });

  it.each([
    [[], ['a'], []],
    [['a', 'b', 'c'], [], ['a', 'b', 'c']],
    [['a', 'b', 'c'], ['b'], ['a', 'c']],
    [['a', 'c'], ['b', 'd'], ['a', 'c']],
    [[1, 2, 3], [1, 2, 3, 4], []],
  ])('when %j minus %j, then the result is %j', (a, b, expected) => {
    expect(differenceSorted<string | number>(a, b)).toEqual(expected);
  });

  it('when nothing is removed, then differenceSorted returns the first array itself', () => {
    const a = ['a', 'c'];
    expect(differenceSorted(a, ['b'])).toBe(a);
  });

  it('when the second array is a subset, then the first array itself is returned (no allocation)', () => {
    const a = ['a', 'b', 'c'];
    expect(unionSorted(a, ['b'])).toBe(a);
  });

  it('when sorting with duplicates, then sortUnique sorts in code-unit order and drops duplicates', () => {
    expect(sortUnique(['b', 'a', 'B', 'b'])).toEqual(['B', 'a', 'b']);
  });
});
