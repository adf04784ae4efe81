/**
 * Day cells in columns: how settled cells are kept between runs and how every cell is folded
 * into buckets. A year of a large tenant holds ~100k cells; as objects with Sets they cost
 * ~1 s to parse, rebuild and fold, as typed arrays a few tens of milliseconds.
 *
 * Member ids and contact hashes are indexes into shared `CellTables`, so cells of different
 * column sets built on the same tables compare by index.
 */
import type { CellSet, DayCell } from './day-cells';
import { drain, SLICE_ITEMS, type Slices } from './work-slices';

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
    return intern(this.memberIndex, this.members, id);
  }

  contact(hash: string): number {
    return intern(this.contactIndex, this.contacts, hash);
  }
}

/** The index of `value` in `list`, appended the first time it is seen. */
function intern(index: Map<string, number>, list: string[], value: string): number {
  let i = index.get(value);
  if (i === undefined) {
    index.set(value, (i = list.length));
    list.push(value);
  }
  return i;
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

const MAX_FIELDS = new Set<number>([NUM.lastEmail, NUM.lastMeeting, NUM.lastInbound, NUM.lastOutbound]);
/** How a numeric field of two cells of disjoint entries combines. */
const COMBINE: ((a: number, b: number) => number)[] = Array.from({ length: NUM_FIELDS }, (_v, f) =>
  f === NUM.first ? Math.min : MAX_FIELDS.has(f) ? Math.max : (a: number, b: number) => a + b,
);

/** Writes cells in (account, day) order into typed arrays of a known maximum size. */
class ColumnsWriter {
  readonly accounts: string[] = [];
  private n = 0;
  private nLists = 0;
  private nReplies = 0;
  private readonly account: Int32Array;
  private readonly day: Float64Array;
  private readonly nums: Float64Array;
  private readonly listOffsets: Int32Array;
  private readonly lists: Int32Array;
  private readonly replyOffsets: Int32Array;
  private readonly replies: Float64Array;

  constructor(cells: number, listValues: number, replyTriples: number) {
    this.account = new Int32Array(cells);
    this.day = new Float64Array(cells);
    this.nums = new Float64Array(cells * NUM_FIELDS);
    this.listOffsets = new Int32Array(cells * LISTS + 1);
    this.lists = new Int32Array(listValues);
    this.replyOffsets = new Int32Array(cells + 1);
    this.replies = new Float64Array(replyTriples * 3);
  }

  /** Starts a cell of `accountId` (accounts come in sorted order) and returns its index. */
  private begin(accountId: string, day: number): number {
    if (this.accounts[this.accounts.length - 1] !== accountId) this.accounts.push(accountId);
    const i = this.n++;
    this.account[i] = this.accounts.length - 1;
    this.day[i] = day;
    return i;
  }

  private endLists(i: number, k: number): void {
    this.listOffsets[i * LISTS + k + 1] = this.nLists;
  }

  private pushReply(u: number, sum: number, count: number): void {
    if (sum === 0 && count === 0) return;
    this.replies[this.nReplies * 3] = u;
    this.replies[this.nReplies * 3 + 1] = sum;
    this.replies[this.nReplies * 3 + 2] = count;
    this.nReplies++;
  }

  /** Cells [from, to) of `c`, all of `accountId`, as they are: copied as blocks, offsets shifted. */
  copyRun(accountId: string, c: CellColumns, from: number, to: number): void {
    if (this.accounts[this.accounts.length - 1] !== accountId) this.accounts.push(accountId);
    const o = this.n;
    const count = to - from;
    this.account.fill(this.accounts.length - 1, o, o + count);
    this.day.set(c.day.subarray(from, to), o);
    this.nums.set(c.nums.subarray(from * NUM_FIELDS, to * NUM_FIELDS), o * NUM_FIELDS);
    const l0 = c.listOffsets[from * LISTS];
    const l1 = c.listOffsets[to * LISTS];
    this.lists.set(c.lists.subarray(l0, l1), this.nLists);
    const listShift = this.nLists - l0;
    for (let k = 1; k <= count * LISTS; k++) this.listOffsets[o * LISTS + k] = c.listOffsets[from * LISTS + k] + listShift;
    this.nLists += l1 - l0;
    const r0 = c.replyOffsets[from];
    const r1 = c.replyOffsets[to];
    this.replies.set(c.replies.subarray(r0 * 3, r1 * 3), this.nReplies * 3);
    const replyShift = this.nReplies - r0;
    for (let x = 1; x <= count; x++) this.replyOffsets[o + x] = c.replyOffsets[from + x] + replyShift;
    this.nReplies += r1 - r0;
    this.n += count;
  }

  /** Cell i of `a` and cell j of `b`, same account and day, of disjoint entries, as one. */
  combine(accountId: string, a: CellColumns, i: number, b: CellColumns, j: number): void {
    const o = this.begin(accountId, a.day[i]);
    for (let f = 0; f < NUM_FIELDS; f++) this.nums[o * NUM_FIELDS + f] = COMBINE[f](a.nums[i * NUM_FIELDS + f], b.nums[j * NUM_FIELDS + f]);
    for (let k = 0; k < LISTS; k++) {
      // Sorted union of two sorted lists.
      let x = a.listOffsets[i * LISTS + k];
      const xEnd = a.listOffsets[i * LISTS + k + 1];
      let y = b.listOffsets[j * LISTS + k];
      const yEnd = b.listOffsets[j * LISTS + k + 1];
      while (x < xEnd || y < yEnd) {
        const vx = x < xEnd ? a.lists[x] : Infinity;
        const vy = y < yEnd ? b.lists[y] : Infinity;
        this.lists[this.nLists++] = Math.min(vx, vy);
        if (vx <= vy) x++;
        if (vy <= vx) y++;
      }
      this.endLists(o, k);
    }
    // Breakpoints sorted by u: merge, adding equal u.
    let x = a.replyOffsets[i] * 3;
    const xEnd = a.replyOffsets[i + 1] * 3;
    let y = b.replyOffsets[j] * 3;
    const yEnd = b.replyOffsets[j + 1] * 3;
    while (x < xEnd || y < yEnd) {
      const ux = x < xEnd ? a.replies[x] : Infinity;
      const uy = y < yEnd ? b.replies[y] : Infinity;
      let sum = 0;
      let count = 0;
      if (ux <= uy) {
        sum += a.replies[x + 1];
        count += a.replies[x + 2];
        x += 3;
      }
      if (uy <= ux) {
        sum += b.replies[y + 1];
        count += b.replies[y + 2];
        y += 3;
      }
      this.pushReply(Math.min(ux, uy), sum, count);
    }
    this.replyOffsets[o + 1] = this.nReplies;
  }

  /** A cell of a cell set. */
  add(accountId: string, day: number, cell: DayCell, tables: CellTables): void {
    const o = this.begin(accountId, day);
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
    this.nums.set(nums, o * NUM_FIELDS);
    const lists = [
      [...cell.emailMembers].map((m) => tables.member(m)),
      [...cell.emailContacts].map((h) => tables.contact(h)),
      [...cell.meetingMembers].map((m) => tables.member(m)),
      [...cell.meetingContacts].map((h) => tables.contact(h)),
    ];
    for (let k = 0; k < LISTS; k++) {
      const sorted = lists[k].sort((x, y) => x - y);
      this.lists.set(sorted, this.nLists);
      this.nLists += sorted.length;
      this.endLists(o, k);
    }
    for (const u of [...cell.replies.keys()].sort((x, y) => x - y)) this.pushReply(u, ...cell.replies.get(u)!);
    this.replyOffsets[o + 1] = this.nReplies;
  }

  build(dayTotals: Float64Array): CellColumns {
    return {
      accounts: this.accounts,
      account: this.account.subarray(0, this.n),
      day: this.day.subarray(0, this.n),
      nums: this.nums.subarray(0, this.n * NUM_FIELDS),
      listOffsets: this.listOffsets.subarray(0, this.n * LISTS + 1),
      lists: this.lists.subarray(0, this.nLists),
      replyOffsets: this.replyOffsets.subarray(0, this.n + 1),
      replies: this.replies.subarray(0, this.nReplies * 3),
      dayTotals,
    };
  }
}

/** A cell set as columns on `tables`, sorted by account, then day. */
export function toColumns(set: CellSet, tables: CellTables): CellColumns {
  return drain(toColumnsSlices(set, tables));
}

/**
 * `toColumns` in bounded slices (work-slices.ts). With `release`, each account's cells are
 * dropped from `set` once written, so a large cell set and its columns are never both whole in
 * memory (the caller must not need the cells afterwards).
 */
export function* toColumnsSlices(set: CellSet, tables: CellTables, release = false): Slices<CellColumns> {
  let cells = 0;
  let listValues = 0;
  let replyTriples = 0;
  for (const byDay of set.accounts.values()) {
    for (const c of byDay.values()) {
      cells++;
      listValues += c.emailMembers.size + c.emailContacts.size + c.meetingMembers.size + c.meetingContacts.size;
      replyTriples += c.replies.size;
    }
  }
  const writer = new ColumnsWriter(cells, listValues, replyTriples);
  let written = 0;
  for (const accountId of [...set.accounts.keys()].sort()) {
    const byDay = set.accounts.get(accountId)!;
    for (const day of [...byDay.keys()].sort((a, b) => a - b)) {
      writer.add(accountId, day, byDay.get(day)!, tables);
      if (++written % SLICE_ITEMS === 0) yield;
    }
    if (release) set.accounts.delete(accountId);
  }
  const totals: number[] = [];
  for (const day of [...set.days.keys()].sort((a, b) => a - b)) {
    const t = set.days.get(day)!;
    totals.push(day, t.emails, t.meetings, t.first);
  }
  return writer.build(Float64Array.from(totals));
}

/**
 * The cells of `a` and `b` (on the same tables, describing disjoint entries) as one column set,
 * without the days before `fromDay`.
 */
export function mergeColumns(a: CellColumns, b: CellColumns, fromDay: number): CellColumns {
  return drain(mergeColumnsSlices(a, b, fromDay));
}

/** `mergeColumns` in bounded slices (work-slices.ts). */
export function* mergeColumnsSlices(a: CellColumns, b: CellColumns, fromDay: number): Slices<CellColumns> {
  const writer = new ColumnsWriter(a.account.length + b.account.length, a.lists.length + b.lists.length, (a.replies.length + b.replies.length) / 3);
  let i = 0;
  let j = 0;
  const na = a.account.length;
  const nb = b.account.length;
  let steps = 0;
  while (i < na || j < nb) {
    if (++steps % SLICE_ITEMS === 0) yield;
    const ida = i < na ? a.accounts[a.account[i]] : null;
    const idb = j < nb ? b.accounts[b.account[j]] : null;
    if (i < na && a.day[i] < fromDay) {
      i++;
      continue;
    }
    if (j < nb && b.day[j] < fromDay) {
      j++;
      continue;
    }
    const order = ida === null ? 1 : idb === null ? -1 : ida < idb ? -1 : ida > idb ? 1 : a.day[i] - b.day[j];
    if (order === 0) {
      writer.combine(ida!, a, i++, b, j++);
      continue;
    }
    // A run of one account's cells before the other side's next cell, copied as a block (the
    // other side is usually a few days of cells: runs are whole accounts).
    const [c, from, id, other, at] = order < 0 ? [a, i, ida!, b, j] : [b, j, idb!, a, i];
    const otherId = at < other.account.length ? other.accounts[other.account[at]] : null;
    let to = from + 1;
    while (to < c.account.length && c.account[to] === c.account[from] && (otherId === null || id < otherId || (id === otherId && c.day[to] < other.day[at]))) to++;
    writer.copyRun(id, c, from, to);
    if (order < 0) i = to;
    else j = to;
  }
  const totals: number[] = [];
  let x = 0;
  let y = 0;
  const ta = a.dayTotals;
  const tb = b.dayTotals;
  while (x < ta.length || y < tb.length) {
    const dx = x < ta.length ? ta[x] : Infinity;
    const dy = y < tb.length ? tb[y] : Infinity;
    const day = Math.min(dx, dy);
    let emails = 0;
    let meetings = 0;
    let first = Infinity;
    if (dx === day) {
      emails += ta[x + 1];
      meetings += ta[x + 2];
      first = Math.min(first, ta[x + 3]);
      x += 4;
    }
    if (dy === day) {
      emails += tb[y + 1];
      meetings += tb[y + 2];
      first = Math.min(first, tb[y + 3]);
      y += 4;
    }
    if (day >= fromDay) totals.push(day, emails, meetings, first);
  }
  return writer.build(Float64Array.from(totals));
}
