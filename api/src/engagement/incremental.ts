/**
 * Pure pieces of incremental refresh (DESIGN.md §5 "Incremental refresh"; docs/incremental.md).
 *
 * A mailbox's mail is kept as one partial per UTC day of `receivedDateTime` ("day slices"): a
 * full run reads exactly the messages received in [start of W, T + 1 day), and W starts on a
 * UTC day, so dropping the slices before W's first day reproduces what a full run would read,
 * whatever the messages' sentDateTime. A refresh re-reads whole days from the high-water mark
 * minus an overlap and *replaces* those slices, so a message read twice is never counted twice
 * (merging is idempotent as well, but replacement also forgets a message deleted in the overlap).
 *
 * The calendar is one partial per mailbox; a refresh drops the meetings starting at or after the
 * re-read start and reads them again, so cancellations and declines in that range are seen.
 *
 * Days whose every copy has been read are *settled*: they are kept as day cells (day-cells.ts),
 * not entries, and conversations keep only the few emails a later reply can still point to
 * (settleThreads).
 */
import type { AccountDirectory } from './account-directory';
import { parseGraphDateTime, startOfUtcDay } from './buckets';
import { createMailboxReducer, type MailboxReducer } from './mailbox-reducer';
import { timelineFromEntries, type Timeline } from './day-cells';
import type { MailboxPartial } from './partial';
import type { GraphEvent, GraphMessage, RunContext, SelectedMailbox } from './types';

/** One mailbox's collection, split for incremental refresh. */
export interface SlicedMailboxPartial {
  /** UTC day start (epoch ms) of receivedDateTime → the partial of the messages received that day. */
  days: Map<number, MailboxPartial>;
  /** The mailbox's meetings (emails, threads empty). */
  meetings: MailboxPartial;
  /** The latest receivedDateTime seen (epoch ms), or null when no message was read. */
  maxReceived: number | null;
}

export interface SlicedMailboxReducer {
  addMessages(page: readonly GraphMessage[]): void;
  addEvents(page: readonly GraphEvent[]): void;
  finish(): SlicedMailboxPartial;
}

/** The UTC day a message belongs to: its receivedDateTime, or its sentDateTime when that is unreadable. */
export function receivedDayOf(message: GraphMessage): number {
  const received = parseGraphDateTime(message.receivedDateTime);
  if (!Number.isNaN(received)) return startOfUtcDay(received);
  const sent = parseGraphDateTime(message.sentDateTime);
  return Number.isNaN(sent) ? 0 : startOfUtcDay(sent);
}

/**
 * Like createMailboxReducer, but the mail goes into one partial per received day. Merging all
 * the day slices and the meetings gives exactly createMailboxReducer's partial.
 */
export function createSlicedMailboxReducer(
  ctx: RunContext,
  directory: AccountDirectory,
  mailbox: SelectedMailbox,
  excludedFolderIds: ReadonlySet<string>,
): SlicedMailboxReducer {
  const dayReducers = new Map<number, MailboxReducer>();
  const events = createMailboxReducer(ctx, directory, mailbox, excludedFolderIds);
  let maxReceived: number | null = null;
  return {
    addMessages(page) {
      const byDay = new Map<number, GraphMessage[]>();
      for (const message of page) {
        const received = parseGraphDateTime(message.receivedDateTime);
        if (!Number.isNaN(received) && (maxReceived === null || received > maxReceived)) maxReceived = received;
        const day = receivedDayOf(message);
        const list = byDay.get(day);
        if (list) list.push(message);
        else byDay.set(day, [message]);
      }
      for (const [day, messages] of byDay) {
        let reducer = dayReducers.get(day);
        if (!reducer) dayReducers.set(day, (reducer = createMailboxReducer(ctx, directory, mailbox, excludedFolderIds)));
        reducer.addMessages(messages);
      }
    },
    addEvents(page) {
      events.addEvents(page);
    },
    finish() {
      const days = new Map<number, MailboxPartial>();
      for (const [day, reducer] of dayReducers) days.set(day, reducer.finish());
      return { days, meetings: events.finish(), maxReceived };
    },
  };
}

/** Drops, in place, the meetings starting before `from` or at/after `to` (either bound optional). */
export function dropMeetingsOutside(partial: MailboxPartial, from: number | null, to: number | null): MailboxPartial {
  for (const [key, entry] of partial.meetings) {
    if ((from !== null && entry.st < from) || (to !== null && entry.st >= to)) partial.meetings.delete(key);
  }
  return partial;
}

// ---------------------------------------------------------------------------
// Conversation timelines across settled and recent days
// ---------------------------------------------------------------------------

/**
 * Collection days of recent timeline entries: conversation hash → enc → the last UTC day on
 * which a copy was received (see day-cells.ts, Timeline).
 */
export type RecentThreads = Map<string, Map<number, number>>;

/** Adds a day slice's timelines, received on `day`, to `into`. */
export function addSliceThreads(into: RecentThreads, slice: MailboxPartial, day: number): void {
  for (const [conversation, timeline] of slice.threads) {
    let entries = into.get(conversation);
    if (!entries) into.set(conversation, (entries = new Map()));
    for (const enc of timeline) {
      const until = entries.get(enc);
      if (until === undefined || until < day) entries.set(enc, day);
    }
  }
}

/**
 * Settled conversation emails: only those a reply not yet settled can still find as P
 * (settleThreads). Sorted by conversation hash, then enc; a hash repeats when its conversation
 * keeps several emails. A hash (96 bits, hashing.ts) is kept as three big-endian 32-bit words,
 * so hundreds of thousands of them are three typed arrays, read and written as blocks, rather
 * than as many strings.
 */
export interface SettledThreads {
  /** KEY_WORDS words per entry. */
  keys: Uint32Array;
  enc: Float64Array;
  until: Float64Array;
}

export const KEY_WORDS = 3;
type KeyWords = readonly [number, number, number];

export function emptyThreads(): SettledThreads {
  return { keys: new Uint32Array(0), enc: new Float64Array(0), until: new Float64Array(0) };
}

const keyBytes = Buffer.alloc(4 * KEY_WORDS);

/** The words of a conversation hash (16 base64url characters, as hashId makes them). */
export function conversationWords(conversation: string): KeyWords {
  if (conversation.length !== 16 || keyBytes.write(conversation, 'base64url') !== keyBytes.length) {
    throw new Error(`Not a conversation hash: ${JSON.stringify(conversation)}`);
  }
  return [keyBytes.readUInt32BE(0), keyBytes.readUInt32BE(4), keyBytes.readUInt32BE(8)];
}

/** The conversation hash of entry i (the inverse of conversationWords). */
export function conversationAt(threads: SettledThreads, i: number): string {
  const bytes = Buffer.alloc(4 * KEY_WORDS);
  for (let w = 0; w < KEY_WORDS; w++) bytes.writeUInt32BE(threads.keys[i * KEY_WORDS + w], 4 * w);
  return bytes.toString('base64url');
}

/** Entry i's hash compared with `words`: negative, zero or positive. */
function compareKeyAt(keys: Uint32Array, i: number, words: ArrayLike<number>): number {
  const o = i * KEY_WORDS;
  return keys[o] - words[0] || keys[o + 1] - words[1] || keys[o + 2] - words[2];
}

function sameKey(keys: Uint32Array, i: number, j: number): boolean {
  const a = i * KEY_WORDS;
  const b = j * KEY_WORDS;
  return keys[a] === keys[b] && keys[a + 1] === keys[b + 1] && keys[a + 2] === keys[b + 2];
}

/** [start, end) of a conversation's entries, searching from `from`. */
function rangeOf(threads: SettledThreads, words: KeyWords, from = 0): [number, number] {
  const n = threads.enc.length;
  let lo = from;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeyAt(threads.keys, mid, words) < 0) lo = mid + 1;
    else hi = mid;
  }
  let end = lo;
  while (end < n && compareKeyAt(threads.keys, end, words) === 0) end++;
  return [lo, end];
}

/** The timeline lookup of a run: settled and recent emails of each conversation, memoised. */
export function timelineLookup(settled: SettledThreads, recent: RecentThreads): (conversation: string) => Timeline | undefined {
  const memo = new Map<string, Timeline | undefined>();
  return (conversation) => {
    if (memo.has(conversation)) return memo.get(conversation);
    const entries = new Map<number, number>();
    if (settled.enc.length > 0) {
      const [start, end] = rangeOf(settled, conversationWords(conversation));
      for (let i = start; i < end; i++) entries.set(settled.enc[i], settled.until[i]);
    }
    for (const [enc, until] of recent.get(conversation) ?? []) entries.set(enc, Math.max(until, entries.get(enc) ?? -Infinity));
    const timeline = entries.size > 0 ? timelineFromEntries(entries) : undefined;
    memo.set(conversation, timeline);
    return timeline;
  };
}

/**
 * The settled threads after emails sent before `settledBefore` settle.
 *
 * Every reply not yet settled is sent at or after `settledBefore`, so for it the settled emails
 * are all earlier, and P is the latest of them still collected (unless a recent email of the
 * conversation comes first). An email can become that P only if every later one leaves W first
 * (it was received later than all of them), and never once it left W: so a conversation keeps
 * the emails, latest first, whose `until` beats every later one's and is not before W's start.
 * Then the oldest kept emails go while their sender is not internal: as P they make "not a
 * reply", exactly as no P does. Most conversations keep one email or none.
 */
export function settleThreads(settled: SettledThreads, recent: RecentThreads, settledBefore: number, windowStart: number): SettledThreads {
  // Room for every settled entry plus every recent one; trimmed at the end.
  let room = settled.enc.length;
  for (const entries of recent.values()) room += entries.size;
  const keys = new Uint32Array(room * KEY_WORDS);
  const enc = new Float64Array(room);
  const until = new Float64Array(room);
  let size = 0;
  const limit = settledBefore * 2;
  const push = (words: ArrayLike<number>, e: number, day: number): void => {
    for (let w = 0; w < KEY_WORDS; w++) keys[size * KEY_WORDS + w] = words[w];
    enc[size] = e;
    until[size++] = day;
  };
  const keep = (words: ArrayLike<number>, entries: [number, number][]): void => {
    if (entries.length === 1) {
      // Most conversations: one email, kept while in W and internal.
      const [e, day] = entries[0];
      if (day >= windowStart && e % 2 === 1) push(words, e, day);
      return;
    }
    entries.sort((a, b) => b[0] - a[0]);
    const kept: [number, number][] = [];
    let reach = windowStart - 1;
    for (const entry of entries) {
      if (entry[1] <= reach) continue;
      kept.push(entry);
      reach = entry[1];
    }
    // kept is latest first: the oldest are at the end.
    while (kept.length > 0 && kept[kept.length - 1][0] % 2 === 0) kept.pop();
    for (let k = kept.length - 1; k >= 0; k--) push(words, kept[k][0], kept[k][1]);
  };
  const n = settled.enc.length;
  const copy = (from: number, to: number): void => {
    if (to - from > 32) {
      keys.set(settled.keys.subarray(from * KEY_WORDS, to * KEY_WORDS), size * KEY_WORDS);
      enc.set(settled.enc.subarray(from, to), size);
      until.set(settled.until.subarray(from, to), size);
      size += to - from;
      return;
    }
    // Short runs (most gaps between touched conversations): a loop costs less than three views.
    for (let x = from; x < to; x++) {
      for (let w = 0; w < KEY_WORDS; w++) keys[size * KEY_WORDS + w] = settled.keys[x * KEY_WORDS + w];
      enc[size] = settled.enc[x];
      until[size++] = settled.until[x];
    }
  };
  /**
   * Settled entries [from, to) of conversations no email settling now touches: copied as blocks,
   * except the conversations with an entry that left W, which keep what is still of use.
   */
  const untouched = (from: number, to: number): void => {
    let copied = from;
    for (let x = from; x < to; x++) {
      if (settled.until[x] >= windowStart) continue;
      let start = x;
      while (start > copied && sameKey(settled.keys, start - 1, x)) start--;
      let end = x + 1;
      while (end < to && sameKey(settled.keys, end, x)) end++;
      copy(copied, start);
      const entries: [number, number][] = [];
      for (let y = start; y < end; y++) entries.push([settled.enc[y], settled.until[y]]);
      keep(settled.keys.subarray(x * KEY_WORDS, (x + 1) * KEY_WORDS), entries);
      copied = end;
      x = end - 1;
    }
    copy(copied, to);
  };
  // Conversations with an email settling now; the others keep their settled entries as they are.
  const touched: { settling: [number, number][]; words: KeyWords }[] = [];
  for (const [conversation, entries] of recent) {
    const settling: [number, number][] = [];
    for (const [e, day] of entries) if (e < limit) settling.push([e, day]);
    if (settling.length > 0) touched.push({ settling, words: conversationWords(conversation) });
  }
  touched.sort((a, b) => a.words[0] - b.words[0] || a.words[1] - b.words[1] || a.words[2] - b.words[2]);
  let i = 0;
  for (const { settling, words } of touched) {
    const [start, end] = rangeOf(settled, words, i);
    untouched(i, start);
    if (start === end) keep(words, settling);
    else {
      const merged = new Map<number, number>();
      for (let x = start; x < end; x++) merged.set(settled.enc[x], settled.until[x]);
      for (const [e, day] of settling) merged.set(e, Math.max(day, merged.get(e) ?? -Infinity));
      keep(words, [...merged]);
    }
    i = end;
  }
  untouched(i, n);
  // Views, not copies: the room left over (entries dropped) is small next to the whole.
  return { keys: keys.subarray(0, size * KEY_WORDS), enc: enc.subarray(0, size), until: until.subarray(0, size) };
}
