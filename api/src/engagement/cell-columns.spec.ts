import fc from 'fast-check';
import { CellTables, mergeColumns, NUM, NUM_FIELDS, toColumns, type CellColumns } from './cell-columns';
import { addReply, cellOf, emptyCellSet, totalsOf, type CellSet } from './day-cells';

const D = 86_400_000;

function set(cells: { account: string; day: number; to?: number; members?: string[]; first?: number; reply?: [number, number, number] }[]): CellSet {
  const s = emptyCellSet();
  for (const c of cells) {
    const cell = cellOf(s, c.account, c.day * D);
    cell.emailsTo += c.to ?? 0;
    for (const m of c.members ?? []) cell.emailMembers.add(m);
    if (c.first !== undefined) cell.first = Math.min(cell.first, c.first);
    if (c.reply) addReply(cell, c.reply[0] * D, c.reply[1], c.reply[2]);
    totalsOf(s, c.day * D).emails += c.to ?? 0;
  }
  return s;
}

/** Cells as readable rows: [account, day, emailsTo, first, members, replies]. */
function rows(c: CellColumns, tables: CellTables): unknown[] {
  return Array.from(c.account, (a, i) => [
    c.accounts[a],
    c.day[i] / D,
    c.nums[i * NUM_FIELDS + NUM.emailsTo],
    c.nums[i * NUM_FIELDS + NUM.first],
    Array.from(c.lists.subarray(c.listOffsets[i * 4], c.listOffsets[i * 4 + 1]), (m) => tables.members[m]),
    Array.from(c.replies.subarray(c.replyOffsets[i] * 3, c.replyOffsets[i + 1] * 3), (v, k) => (k % 3 === 0 ? v / D : v)),
  ]);
}

describe('mergeColumns', () => {
  it('when two column sets share an account and day, then that cell adds counts, unions members, keeps the earliest first and adds replies at equal breakpoints', () => {
    const tables = new CellTables();
    const a = toColumns(set([{ account: 'FAB', day: 10, to: 1, members: ['m2'], first: 500, reply: [8, 100, 1] }, { account: 'NW', day: 3, to: 2 }]), tables);
    const b = toColumns(set([{ account: 'FAB', day: 10, to: 2, members: ['m1', 'm2'], first: 400, reply: [8, 50, 1] }, { account: 'FAB', day: 12, to: 1 }, { account: 'AAA', day: 1, to: 1 }]), tables);
    const merged = mergeColumns(a, b, -Infinity);
    expect(rows(merged, tables)).toEqual([
      ['AAA', 1, 1, Infinity, [], []],
      ['FAB', 10, 3, 400, ['m2', 'm1'], [8, 150, 2]],
      ['FAB', 12, 1, Infinity, [], []],
      ['NW', 3, 2, Infinity, [], []],
    ]);
    expect(Array.from(merged.dayTotals)).toEqual([1 * D, 1, 0, Infinity, 3 * D, 2, 0, Infinity, 10 * D, 3, 0, Infinity, 12 * D, 1, 0, Infinity]);
  });

  it('when a breakpoint sums to nothing, then it is dropped', () => {
    const tables = new CellTables();
    const a = toColumns(set([{ account: 'FAB', day: 10, reply: [8, 100, 1] }]), tables);
    const b = toColumns(set([{ account: 'FAB', day: 10, reply: [8, -100, -1] }]), tables);
    expect(rows(mergeColumns(a, b, -Infinity), tables)).toEqual([['FAB', 10, 0, Infinity, [], []]]);
  });

  it('when days are before the given first day, then they are left out, cells and totals', () => {
    const tables = new CellTables();
    const a = toColumns(set([{ account: 'FAB', day: 4, to: 1 }, { account: 'FAB', day: 5, to: 1 }]), tables);
    const merged = mergeColumns(a, toColumns(set([{ account: 'NW', day: 2, to: 1 }]), tables), 5 * D);
    expect(rows(merged, tables)).toEqual([['FAB', 5, 1, Infinity, [], []]]);
    expect(Array.from(merged.dayTotals)).toEqual([5 * D, 1, 0, Infinity]);
  });

  it('when random column sets are merged, then the result is the column set of their union, runs of cells copied as blocks or not', () => {
    const cell = fc.record({
      account: fc.constantFrom('AAA', 'FAB', 'NW', 'ZED'),
      day: fc.integer({ min: 0, max: 12 }),
      to: fc.integer({ min: 0, max: 3 }),
      members: fc.subarray(['m1', 'm2', 'm3', 'm4']),
      first: fc.integer({ min: 0, max: 10 }),
      reply: fc.option(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 1, max: 9 }), fc.constant(1)), { nil: undefined }),
    });
    fc.assert(
      fc.property(fc.array(cell, { maxLength: 40 }), fc.array(cell, { maxLength: 8 }), fc.integer({ min: 0, max: 6 }), (left, right, fromDay) => {
        const tables = new CellTables();
        const merged = mergeColumns(toColumns(set(left), tables), toColumns(set(right), tables), fromDay * D);
        const union = toColumns(set([...left, ...right].filter((c) => c.day >= fromDay)), tables);
        expect(rows(merged, tables)).toEqual(rows(union, tables));
        expect(Array.from(merged.dayTotals)).toEqual(Array.from(union.dayTotals));
      }),
      { numRuns: 300 },
    );
  });
});
