/**
 * Day cells in columns: how settled cells are kept between runs and how every cell is folded
 * into buckets. A year of a large tenant holds ~100k cells; as objects with Sets they cost
 * ~1 s to parse, rebuild and fold, as typed arrays a few tens of milliseconds.
 *
 * Member ids and contact hashes are indexes into shared `CellTables`, so cells of different
 * column sets built on the same tables compare by index.
 */
import type { CellSet, DayCell } from './day-cells';

/** Interned member ids and contact hashes. */
export class CellTables {
  readonly members: string[] = [];
  readonly contacts: string[] = [];
  private readonly memberIndex = new Map<string, number>();
  private readonly contactIndex = new Map<string, number>();

  constructor(members: readonly string[] = [], contacts: readonly string[] = []) {
    for (const m of members) this.member(m);
    for (const c of contacts) this.contact(c);
  }

  member(id: string): number {
    let i = this.memberIndex.get(id);
    if (i === undefined) {
      this.memberIndex.set(id, (i = this.members.length));
      this.members.push(id);
    }
    return i;
  }

  contact(hash: string): number {
    let i = this.contactIndex.get(hash);
    if (i === undefined) {
      this.contactIndex.set(hash, (i = this.contacts.length));
      this.contacts.push(hash);
    }
    return i;
  }
}

/** The numeric fields of a cell, in column order. */
export const NUM = {
  emailsTo: 0,
  emailsFrom: 1,
  meetingsTo: 2,
  meetingsFrom: 3,
  lastEmail: 4,
  lastMeeting: 5,
  first: 6,
  lastInbound: 7,
  lastOutbound: 8,
  meetingMsSum: 9,
  meetingCount: 10,
} as const;
export const NUM_FIELDS = 11;
/** The index lists of a cell, in order: email members, email contacts, meeting members, meeting contacts. */
export const LISTS = 4;

/**
 * Cells sorted by account, then day. Cell i: `account[i]` indexes `accounts`; its numeric fields
 * are `nums[i·11 …]` (±Infinity for "none"); list k of it is
 * `lists[listOffsets[i·4+k] … listOffsets[i·4+k+1])`; its reply breakpoints are the
 * [u, ms sum, count] triples in `replies[replyOffsets[i]·3 … replyOffsets[i+1]·3)`.
 * `dayTotals` holds [day, emails, meetings, first] quadruples.
 */
export interface CellColumns {
  accounts: string[];
  account: Int32Array;
  day: Float64Array;
  nums: Float64Array;
  listOffsets: Int32Array;
  lists: Int32Array;
  replyOffsets: Int32Array;
  replies: Float64Array;
  dayTotals: Float64Array;
}

export const cellCount = (c: CellColumns): number => c.account.length;

export function emptyColumns(): CellColumns {
  return {
    accounts: [],
    account: new Int32Array(0),
    day: new Float64Array(0),
    nums: new Float64Array(0),
    listOffsets: new Int32Array(1),
    lists: new Int32Array(0),
    replyOffsets: new Int32Array(1),
    replies: new Float64Array(0),
    dayTotals: new Float64Array(0),
  };
}

/** Appends cells in (account, day) order and produces columns. */
class ColumnsBuilder {
  private readonly accounts: string[] = [];
  private readonly account: number[] = [];
  private readonly day: number[] = [];
  private readonly nums: number[] = [];
  private readonly listOffsets: number[] = [0];
  private readonly lists: number[] = [];
  private readonly replyOffsets: number[] = [0];
  private readonly replies: number[] = [];

  startAccount(id: string): void {
    this.accounts.push(id);
  }

  /** Cell i of `c`, as it is: the common case of a merge, copied without per-field calls. */
  copy(c: CellColumns, i: number): void {
    this.account.push(this.accounts.length - 1);
    this.day.push(c.day[i]);
    for (let f = i * NUM_FIELDS; f < (i + 1) * NUM_FIELDS; f++) this.nums.push(c.nums[f]);
    for (let k = i * LISTS; k < (i + 1) * LISTS; k++) {
      for (let x = c.listOffsets[k]; x < c.listOffsets[k + 1]; x++) this.lists.push(c.lists[x]);
      this.listOffsets.push(this.lists.length);
    }
    for (let r = c.replyOffsets[i] * 3; r < c.replyOffsets[i + 1] * 3; r++) this.replies.push(c.replies[r]);
    this.replyOffsets.push(this.replies.length / 3);
  }

  /** A cell of the current account from one or two sources whose entries are disjoint. */
  add(day: number, parts: readonly CellSource[]): void {
    this.account.push(this.accounts.length - 1);
    this.day.push(day);
    for (let f = 0; f < NUM_FIELDS; f++) {
      let v = parts[0].num(f);
      for (let p = 1; p < parts.length; p++) v = combine(f, v, parts[p].num(f));
      this.nums.push(v);
    }
    for (let k = 0; k < LISTS; k++) {
      if (parts.length === 1) for (const i of parts[0].list(k)) this.lists.push(i);
      else {
        const union = new Set<number>();
        for (const part of parts) for (const i of part.list(k)) union.add(i);
        for (const i of [...union].sort((a, b) => a - b)) this.lists.push(i);
      }
      this.listOffsets.push(this.lists.length);
    }
    const byU = new Map<number, [number, number]>();
    for (const part of parts) {
      part.replies((u, sum, count) => {
        const e = byU.get(u);
        if (e) {
          e[0] += sum;
          e[1] += count;
        } else byU.set(u, [sum, count]);
      });
    }
    for (const u of [...byU.keys()].sort((a, b) => a - b)) {
      const [sum, count] = byU.get(u)!;
      if (sum !== 0 || count !== 0) this.replies.push(u, sum, count);
    }
    this.replyOffsets.push(this.replies.length / 3);
  }

  build(dayTotals: number[]): CellColumns {
    return {
      accounts: this.accounts,
      account: Int32Array.from(this.account),
      day: Float64Array.from(this.day),
      nums: Float64Array.from(this.nums),
      listOffsets: Int32Array.from(this.listOffsets),
      lists: Int32Array.from(this.lists),
      replyOffsets: Int32Array.from(this.replyOffsets),
      replies: Float64Array.from(this.replies),
      dayTotals: Float64Array.from(dayTotals),
    };
  }
}

const MAX_FIELDS = new Set<number>([NUM.lastEmail, NUM.lastMeeting, NUM.lastInbound, NUM.lastOutbound]);
function combine(field: number, a: number, b: number): number {
  if (field === NUM.first) return Math.min(a, b);
  if (MAX_FIELDS.has(field)) return Math.max(a, b);
  return a + b;
}

/** One cell, whatever it is stored in. */
interface CellSource {
  num(field: number): number;
  list(k: number): Iterable<number>;
  replies(visit: (u: number, sum: number, count: number) => void): void;
}

function columnCell(c: CellColumns, i: number): CellSource {
  return {
    num: (f) => c.nums[i * NUM_FIELDS + f],
    list: (k) => c.lists.subarray(c.listOffsets[i * LISTS + k], c.listOffsets[i * LISTS + k + 1]),
    replies: (visit) => {
      for (let r = c.replyOffsets[i] * 3; r < c.replyOffsets[i + 1] * 3; r += 3) visit(c.replies[r], c.replies[r + 1], c.replies[r + 2]);
    },
  };
}

function setCell(cell: DayCell, tables: CellTables): CellSource {
  const nums = [
    cell.emailsTo,
    cell.emailsFrom,
    cell.meetingsTo,
    cell.meetingsFrom,
    cell.lastEmail,
    cell.lastMeeting,
    cell.first,
    cell.lastInbound,
    cell.lastOutbound,
    cell.meetingMsSum,
    cell.meetingCount,
  ];
  const lists = [
    [...cell.emailMembers].map((m) => tables.member(m)),
    [...cell.emailContacts].map((h) => tables.contact(h)),
    [...cell.meetingMembers].map((m) => tables.member(m)),
    [...cell.meetingContacts].map((h) => tables.contact(h)),
  ].map((l) => l.sort((a, b) => a - b));
  return {
    num: (f) => nums[f],
    list: (k) => lists[k],
    replies: (visit) => {
      for (const [u, [sum, count]] of cell.replies) visit(u, sum, count);
    },
  };
}

/**
 * `base` (columns) plus `extra` (a cell set of other entries), without the days before
 * `fromDay`, as new columns on `tables` (which `base` already uses).
 */
export function mergeIntoColumns(base: CellColumns, extra: CellSet, tables: CellTables, fromDay: number): CellColumns {
  const builder = new ColumnsBuilder();
  const accountIds = [...new Set([...base.accounts, ...extra.accounts.keys()])].sort();
  const baseStart = new Map<string, number>();
  for (let i = 0; i < base.account.length; i++) {
    const id = base.accounts[base.account[i]];
    if (!baseStart.has(id)) baseStart.set(id, i);
  }
  for (const accountId of accountIds) {
    const extraDays = extra.accounts.get(accountId);
    const extraSorted = extraDays ? [...extraDays.keys()].filter((d) => d >= fromDay).sort((a, b) => a - b) : [];
    let i = baseStart.get(accountId) ?? base.account.length;
    const end = (): boolean => i >= base.account.length || base.accounts[base.account[i]] !== accountId;
    while (!end() && base.day[i] < fromDay) i++;
    if (end() && extraSorted.length === 0) continue;
    builder.startAccount(accountId);
    let j = 0;
    while (!end() || j < extraSorted.length) {
      const baseDay = end() ? Infinity : base.day[i];
      const extraDay = j < extraSorted.length ? extraSorted[j] : Infinity;
      if (baseDay < extraDay) builder.copy(base, i++);
      else if (extraDay < baseDay) builder.add(extraDay, [setCell(extraDays!.get(extraSorted[j++])!, tables)]);
      else builder.add(baseDay, [columnCell(base, i++), setCell(extraDays!.get(extraSorted[j++])!, tables)]);
    }
  }
  const totals = new Map<number, [number, number, number]>();
  for (let t = 0; t < base.dayTotals.length; t += 4) {
    const day = base.dayTotals[t];
    if (day >= fromDay) totals.set(day, [base.dayTotals[t + 1], base.dayTotals[t + 2], base.dayTotals[t + 3]]);
  }
  for (const [day, t] of extra.days) {
    if (day < fromDay) continue;
    const e = totals.get(day);
    if (e) {
      e[0] += t.emails;
      e[1] += t.meetings;
      e[2] = Math.min(e[2], t.first);
    } else totals.set(day, [t.emails, t.meetings, t.first]);
  }
  const flatTotals: number[] = [];
  for (const day of [...totals.keys()].sort((a, b) => a - b)) flatTotals.push(day, ...totals.get(day)!);
  return builder.build(flatTotals);
}

/** A cell set as columns on `tables`. */
export function toColumns(set: CellSet, tables: CellTables): CellColumns {
  return mergeIntoColumns(emptyColumns(), set, tables, -Infinity);
}
