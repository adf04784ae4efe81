import { CellTables, emptyCellSet, toColumns } from '../engagement';
import { cellOf, totalsOf } from '../engagement/day-cells';
import { isAppError } from '../errors';
import { decodeSettled, encodeSettled, type SettledState } from './settled-file';

function sample(): SettledState {
  const set = emptyCellSet();
  const cell = cellOf(set, 'FAB', 86_400_000 * 20_000);
  cell.emailsTo = 3;
  cell.emailMembers.add('m1');
  cell.emailContacts.add('hashA');
  cell.lastEmail = 86_400_000 * 20_000 + 5;
  cell.replies.set(86_400_000 * 19_990, [7_200_000, 1]);
  cellOf(set, 'NW', 86_400_000 * 20_001).meetingsFrom = 1;
  totalsOf(set, 86_400_000 * 20_000).emails = 3;
  const tables = new CellTables();
  return {
    reductionKey: 'r',
    membersKey: 'm',
    now: 86_400_000 * 20_010,
    emailBoundary: 86_400_000 * 20_007,
    meetingBoundary: 86_400_000 * 19_980,
    contributors: ['m1', 'm2'],
    tables,
    cells: toColumns(set, tables),
    threads: { keys: ['a', 'b'], enc: Float64Array.from([11, 13]), until: Float64Array.from([5, 6]) },
  };
}

const codeOf = (f: () => unknown): string | null => {
  try {
    f();
    return null;
  } catch (e) {
    return isAppError(e) ? `${e.code}: ${e.message}` : String(e);
  }
};

describe('settled.bin', () => {
  it('when written and read back, then everything is as it was', () => {
    const state = sample();
    const back = decodeSettled('settled.bin', encodeSettled(state));
    expect({ ...back, tables: back.tables.members }).toEqual({ ...state, tables: state.tables.members });
    expect(back.tables.contacts).toEqual(state.tables.contacts);
  });

  it.each<[string, (b: Buffer) => Buffer, RegExp]>([
    ['truncated', (b) => b.subarray(0, b.length - 9), /truncated/],
    ['a byte changed in the body', (b) => Buffer.from(b.map((x, i) => (i === b.length - 20 ? x ^ 0xff : x))), /checksum/],
    ['not ours at all', () => Buffer.from('{"json": true}'), /not a Rapport settled-state file/],
    ['its header damaged', (b) => Buffer.from(b.map((x, i) => (i === 14 ? 0x7b : x))), /header/],
  ])('when the file is %s, then reading it fails with STORE_CORRUPT naming it', (_label, damage, why) => {
    const message = codeOf(() => decodeSettled('/data/settled.bin', damage(encodeSettled(sample()))));
    expect(message).toMatch(/^STORE_CORRUPT: .*\/data\/settled\.bin/);
    expect(message).toMatch(why);
  });
});
