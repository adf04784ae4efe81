/**
 * Per-account, per-UTC-day aggregates ("day cells"): the unit between merged hashed entries and
 * `Office` rows. W, every month and every ISO week start on a UTC midnight, so each bucket,
 * clipped to W, is a union of whole days, and its metrics are a fold of its days' cells: counts
 * and sums add, distinct counts are set unions, first/last are min/max.
 *
 * One metric depends on where W starts, not only on the day: reply latency. P, the email an
 * inbound email R replies to, is the latest *collected* email of the conversation before R, and
 * an email is collected while one of its copies was received on or after W's first day. So a
 * reply is stored as breakpoints: `replies` maps a UTC day u to the [ms sum, count] that holds
 * while W starts on or before u (see replyChain). Everything else in a cell is final once every
 * copy of its emails has been read, which is what lets incremental refresh keep settled days as
 * cells instead of entries (docs/incremental.md).
 */
import { startOfUtcDay } from './buckets';

export interface DayCell {
  emailsTo: number;
  emailsFrom: number;
  meetingsTo: number;
  meetingsFrom: number;
  emailMembers: Set<string>;
  emailContacts: Set<string>;
  meetingMembers: Set<string>;
  meetingContacts: Set<string>;
  /** Epoch ms; −Infinity / +Infinity when none. */
  lastEmail: number;
  lastMeeting: number;
  first: number;
  lastInbound: number;
  lastOutbound: number;
  /** UTC day u → [latency ms sum, reply count] that counts while W starts on or before u. */
  replies: Map<number, [number, number]>;
  meetingMsSum: number;
  meetingCount: number;
}

/** Per UTC day, over all accounts: what the run totals need. */
export interface DayTotals {
  /** Logical emails counted for at least one account. */
  emails: number;
  /** Logical past meetings counted for at least one account. */
  meetings: number;
  /** Earliest counted interaction, epoch ms (+Infinity when none). */
  first: number;
}

export interface CellSet {
  /** Account id → UTC day start → cell. */
  accounts: Map<string, Map<number, DayCell>>;
  days: Map<number, DayTotals>;
  /** Account id → start of its first upcoming meeting. Upcoming meetings are never settled. */
  nextMeeting: Map<string, number>;
}

export function emptyCellSet(): CellSet {
  return { accounts: new Map(), days: new Map(), nextMeeting: new Map() };
}

export function emptyCell(): DayCell {
  return {
    emailsTo: 0,
    emailsFrom: 0,
    meetingsTo: 0,
    meetingsFrom: 0,
    emailMembers: new Set(),
    emailContacts: new Set(),
    meetingMembers: new Set(),
    meetingContacts: new Set(),
    lastEmail: -Infinity,
    lastMeeting: -Infinity,
    first: Infinity,
    lastInbound: -Infinity,
    lastOutbound: -Infinity,
    replies: new Map(),
    meetingMsSum: 0,
    meetingCount: 0,
  };
}

export function cellOf(set: CellSet, accountId: string, day: number): DayCell {
  let byDay = set.accounts.get(accountId);
  if (!byDay) set.accounts.set(accountId, (byDay = new Map()));
  let cell = byDay.get(day);
  if (!cell) byDay.set(day, (cell = emptyCell()));
  return cell;
}

export function totalsOf(set: CellSet, day: number): DayTotals {
  let totals = set.days.get(day);
  if (!totals) set.days.set(day, (totals = { emails: 0, meetings: 0, first: Infinity }));
  return totals;
}

const addAll = <T>(target: Set<T>, source: Iterable<T>): void => {
  for (const v of source) target.add(v);
};

/** Adds `[sum, count]` at breakpoint u. */
export function addReply(cell: DayCell, u: number, sum: number, count: number): void {
  const existing = cell.replies.get(u);
  if (existing) {
    existing[0] += sum;
    existing[1] += count;
  } else cell.replies.set(u, [sum, count]);
}

/** Folds `source` into `target`: both describe disjoint sets of logical emails and meetings. */
export function mergeCell(target: DayCell, source: DayCell): void {
  target.emailsTo += source.emailsTo;
  target.emailsFrom += source.emailsFrom;
  target.meetingsTo += source.meetingsTo;
  target.meetingsFrom += source.meetingsFrom;
  addAll(target.emailMembers, source.emailMembers);
  addAll(target.emailContacts, source.emailContacts);
  addAll(target.meetingMembers, source.meetingMembers);
  addAll(target.meetingContacts, source.meetingContacts);
  target.lastEmail = Math.max(target.lastEmail, source.lastEmail);
  target.lastMeeting = Math.max(target.lastMeeting, source.lastMeeting);
  target.first = Math.min(target.first, source.first);
  target.lastInbound = Math.max(target.lastInbound, source.lastInbound);
  target.lastOutbound = Math.max(target.lastOutbound, source.lastOutbound);
  for (const [u, [sum, count]] of source.replies) addReply(target, u, sum, count);
  target.meetingMsSum += source.meetingMsSum;
  target.meetingCount += source.meetingCount;
}

/**
 * Merges `source` into `target` (mutating target only) and drops the days before `fromDay`
 * (days that left W never come back). The cell sets must describe disjoint entries.
 */
export function mergeCellSets(target: CellSet, source: CellSet, fromDay: number): CellSet {
  for (const [accountId, byDay] of source.accounts) {
    for (const [day, cell] of byDay) if (day >= fromDay) mergeCell(cellOf(target, accountId, day), cell);
  }
  for (const [day, t] of source.days) {
    if (day < fromDay) continue;
    const totals = totalsOf(target, day);
    totals.emails += t.emails;
    totals.meetings += t.meetings;
    totals.first = Math.min(totals.first, t.first);
  }
  for (const [accountId, start] of source.nextMeeting) target.nextMeeting.set(accountId, Math.min(target.nextMeeting.get(accountId) ?? Infinity, start));
  for (const [accountId, byDay] of target.accounts) {
    for (const day of byDay.keys()) if (day < fromDay) byDay.delete(day);
    if (byDay.size === 0) target.accounts.delete(accountId);
  }
  for (const day of target.days.keys()) if (day < fromDay) target.days.delete(day);
  return target;
}

/** The reply [ms sum, count] of a cell when W starts at `windowStart`. */
export function repliesAt(cell: DayCell, windowStart: number): [number, number] {
  let sum = 0;
  let count = 0;
  for (const [u, [s, c]] of cell.replies) {
    if (u >= windowStart) {
      sum += s;
      count += c;
    }
  }
  return [sum, count];
}

// ---------------------------------------------------------------------------
// Conversation timelines with collection days
// ---------------------------------------------------------------------------

/**
 * The emails of one conversation, sorted by `enc = sent·2 + (sender internal ? 1 : 0)`, with
 * `until[i]`: the last UTC day on which a copy of email i was received (the email is collected
 * while W starts on or before it; +Infinity when every email is collected for good), and
 * `reach[i] = max(until[0..i])`, so a walk back can stop when nothing earlier lasts longer.
 */
export interface Timeline {
  enc: readonly number[];
  until: readonly number[];
  reach: readonly number[];
}

/** A timeline from its sorted `enc` values and their collection days. */
export function timelineOf(enc: readonly number[], until: readonly number[]): Timeline {
  const reach: number[] = new Array<number>(enc.length);
  let max = -Infinity;
  for (let i = 0; i < enc.length; i++) reach[i] = max = Math.max(max, until[i]);
  return { enc, until, reach };
}

/** A timeline whose emails stay collected whatever W is (a run that keeps no state). */
export function collectedTimeline(enc: readonly number[]): Timeline {
  const forever = enc.map(() => Infinity);
  return { enc, until: forever, reach: forever };
}

/** Merges conversation entries given as enc → until maps into one timeline (until: max). */
export function timelineFromEntries(entries: ReadonlyMap<number, number>): Timeline {
  const enc = [...entries.keys()].sort((a, b) => a - b);
  return timelineOf(
    enc,
    enc.map((e) => entries.get(e)!),
  );
}

/**
 * Which email an inbound email sent at `sentAt` replies to, as W's start moves forward from
 * `windowStart`: a list of [u, latency ms or null] with strictly increasing u. While W starts on
 * or before the first u, P is the first entry's email; after it, the next entry's; after the
 * last, there is no P. A null latency means P's sender is not internal (not a reply).
 * u is clipped to R's own day: R itself is counted only while W starts on or before it.
 *
 * P is the latest collected email sent strictly before R; on a tie an internal email wins
 * (its enc is odd, so larger).
 */
export function replyChain(timeline: Timeline | undefined, sentAt: number, windowStart: number): [number, number | null][] {
  const chain: [number, number | null][] = [];
  if (!timeline || timeline.enc.length === 0) return chain;
  const day = startOfUtcDay(sentAt);
  const { enc, until, reach } = timeline;
  const limit = sentAt * 2; // enc < limit: sent strictly before R
  let lo = 0;
  let hi = enc.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (enc[mid] < limit) lo = mid + 1;
    else hi = mid;
  }
  let covered = windowStart - 1; // W never starts before windowStart again
  for (let i = lo - 1; i >= 0 && reach[i] > covered; i--) {
    if (until[i] <= covered) continue;
    const internal = enc[i] % 2 === 1;
    chain.push([Math.min(until[i], day), internal ? sentAt - (enc[i] - 1) / 2 : null]);
    if (until[i] >= day) break;
    covered = until[i];
  }
  return chain;
}

/** Adds a reply chain to a cell as breakpoints: value(w) = Σ over u ≥ w of the deltas. */
export function addReplyChain(cell: DayCell, chain: readonly [number, number | null][]): void {
  for (let k = 0; k < chain.length; k++) {
    const [u, latency] = chain[k];
    const next = k + 1 < chain.length ? chain[k + 1][1] : null;
    const sum = (latency ?? 0) - (next ?? 0);
    const count = (latency === null ? 0 : 1) - (next === null ? 0 : 1);
    if (sum !== 0 || count !== 0) addReply(cell, u, sum, count);
  }
}

// ---------------------------------------------------------------------------
// Serialisation (JSON-safe, hashes only)
// ---------------------------------------------------------------------------

/**
 * [day, emailsTo, emailsFrom, meetingsTo, meetingsFrom, emailMembers, emailContacts,
 *  meetingMembers, meetingContacts, lastEmail, lastMeeting, first, lastInbound, lastOutbound,
 *  replies (flat u, sum, count triples), meetingMsSum, meetingCount].
 * Member ids and contact hashes are indexes into the file's `members` and `contacts` tables;
 * absent times are null.
 */
export type SerializedCell = [number, number, number, number, number, number[], number[], number[], number[], ...(number | null)[]];

export interface SerializedCellSet {
  members: string[];
  contacts: string[];
  accounts: [string, SerializedCell[]][];
  /** [day, emails, meetings, first] */
  days: [number, number, number, number | null][];
}

const orNull = (t: number): number | null => (Number.isFinite(t) ? t : null);

export function serializeCellSet(set: CellSet): SerializedCellSet {
  const tables = { members: new Map<string, number>(), contacts: new Map<string, number>() };
  const indexes = (table: Map<string, number>, values: Set<string>): number[] => {
    const out: number[] = [];
    for (const v of values) {
      let i = table.get(v);
      if (i === undefined) table.set(v, (i = table.size));
      out.push(i);
    }
    return out.sort((a, b) => a - b);
  };
  const accounts: [string, SerializedCell[]][] = [];
  for (const accountId of [...set.accounts.keys()].sort()) {
    const byDay = set.accounts.get(accountId)!;
    const cells: SerializedCell[] = [];
    for (const day of [...byDay.keys()].sort((a, b) => a - b)) {
      const c = byDay.get(day)!;
      const replies: number[] = [];
      for (const u of [...c.replies.keys()].sort((a, b) => a - b)) replies.push(u, ...c.replies.get(u)!);
      cells.push([
        day,
        c.emailsTo,
        c.emailsFrom,
        c.meetingsTo,
        c.meetingsFrom,
        indexes(tables.members, c.emailMembers),
        indexes(tables.contacts, c.emailContacts),
        indexes(tables.members, c.meetingMembers),
        indexes(tables.contacts, c.meetingContacts),
        orNull(c.lastEmail),
        orNull(c.lastMeeting),
        orNull(c.first),
        orNull(c.lastInbound),
        orNull(c.lastOutbound),
        replies as never,
        c.meetingMsSum,
        c.meetingCount,
      ] as SerializedCell);
    }
    accounts.push([accountId, cells]);
  }
  return {
    members: [...tables.members.keys()],
    contacts: [...tables.contacts.keys()],
    accounts,
    days: [...set.days].sort((a, b) => a[0] - b[0]).map(([day, t]) => [day, t.emails, t.meetings, orNull(t.first)]),
  };
}

/** The inverse of serializeCellSet; throws `invalid(what)` on malformed data. */
export function deserializeCellSet(data: SerializedCellSet, invalid: (what: string) => never): CellSet {
  const set = emptyCellSet();
  const num = (v: unknown, what: string): number => (typeof v === 'number' && Number.isFinite(v) ? v : invalid(what));
  const time = (v: unknown, none: number): number => (v === null ? none : num(v, 'a time'));
  const lookup = (table: string[], values: unknown, what: string): Set<string> => {
    if (!Array.isArray(values)) invalid(what);
    return new Set(values.map((i) => table[num(i, what)] ?? invalid(what)));
  };
  if (!Array.isArray(data.members) || !Array.isArray(data.contacts) || !Array.isArray(data.accounts) || !Array.isArray(data.days)) invalid('missing sections');
  for (const entry of data.accounts) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string' || !Array.isArray(entry[1])) invalid('an account');
    const byDay = new Map<number, DayCell>();
    for (const c of entry[1]) {
      if (!Array.isArray(c) || c.length !== 17) invalid('a day cell');
      const replies = new Map<number, [number, number]>();
      const flat = c[14] as unknown;
      if (!Array.isArray(flat) || flat.length % 3 !== 0) invalid('reply breakpoints');
      for (let i = 0; i < flat.length; i += 3) replies.set(num(flat[i], 'a breakpoint'), [num(flat[i + 1], 'a breakpoint'), num(flat[i + 2], 'a breakpoint')]);
      byDay.set(num(c[0], 'a day'), {
        emailsTo: num(c[1], 'a count'),
        emailsFrom: num(c[2], 'a count'),
        meetingsTo: num(c[3], 'a count'),
        meetingsFrom: num(c[4], 'a count'),
        emailMembers: lookup(data.members, c[5], 'a member index'),
        emailContacts: lookup(data.contacts, c[6], 'a contact index'),
        meetingMembers: lookup(data.members, c[7], 'a member index'),
        meetingContacts: lookup(data.contacts, c[8], 'a contact index'),
        lastEmail: time(c[9], -Infinity),
        lastMeeting: time(c[10], -Infinity),
        first: time(c[11], Infinity),
        lastInbound: time(c[12], -Infinity),
        lastOutbound: time(c[13], -Infinity),
        replies,
        meetingMsSum: num(c[15], 'a duration'),
        meetingCount: num(c[16], 'a count'),
      });
    }
    set.accounts.set(entry[0], byDay);
  }
  for (const d of data.days) {
    if (!Array.isArray(d) || d.length !== 4) invalid('a day total');
    set.days.set(num(d[0], 'a day'), { emails: num(d[1], 'a count'), meetings: num(d[2], 'a count'), first: time(d[3], Infinity) });
  }
  return set;
}
