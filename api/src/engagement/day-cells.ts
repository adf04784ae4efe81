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
import { lowerBound } from './partial';

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

function emptyCell(): DayCell {
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

/** Adds `[sum, count]` at breakpoint u. */
export function addReply(cell: DayCell, u: number, sum: number, count: number): void {
  const existing = cell.replies.get(u);
  if (existing) {
    existing[0] += sum;
    existing[1] += count;
  } else cell.replies.set(u, [sum, count]);
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
function timelineOf(enc: readonly number[], until: readonly number[]): Timeline {
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
  const lo = lowerBound(enc, sentAt * 2); // enc < sentAt·2: sent strictly before R
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
