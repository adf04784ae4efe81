import { CellTables, conversationWords, emptyCellSet, emptyThreads, toColumns } from '../engagement';
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
    threads: { keys: Uint32Array.from([...conversationWords('a'.repeat(16)), ...conversationWords('b'.repeat(16))]), enc: Float64Array.from([11, 13]), until: Float64Array.from([5, 6]) },
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
  it.each<[string, () => SettledState]>([
    ['with cells and conversations', sample],
    ['with empty sections', () => ({ ...sample(), contributors: [], threads: emptyThreads() })],
  ])('when written and read back %s, then everything is as it was', (_label, make) => {
    const state = make();
    const back = decodeSettled('settled.bin', encodeSettled(state))!;
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

  it('when its conversations are out of order (written wrong, checksum right), then reading it fails with STORE_CORRUPT', () => {
    const state = sample();
    state.threads.keys = Uint32Array.from([...conversationWords('b'.repeat(16)), ...conversationWords('a'.repeat(16))]);
    expect(codeOf(() => decodeSettled('/data/settled.bin', encodeSettled(state)))).toMatch(/^STORE_CORRUPT: .*not sorted/);
  });

  it('when the file is an earlier format of settled state, then it is outdated, not damaged: null, and the run starts over', () => {
    const old = Buffer.from(encodeSettled(sample()).toString('latin1').replace('rapport.settled/3', 'rapport.settled/2'), 'latin1');
    expect(decodeSettled('/data/settled.bin', old)).toBeNull();
  });
});
