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
 * Settled conversation emails, as flat `[enc, until, enc, until, …]` sorted by enc: only those a
 * reply not yet settled can still find as P (settleThreads).
 */
export type SettledThreads = Map<string, number[]>;

/** The timeline lookup of a run: settled and recent emails of each conversation, memoised. */
export function timelineLookup(settled: SettledThreads, recent: RecentThreads): (conversation: string) => Timeline | undefined {
  const memo = new Map<string, Timeline | undefined>();
  return (conversation) => {
    if (memo.has(conversation)) return memo.get(conversation);
    const entries = new Map<number, number>();
    const flat = settled.get(conversation);
    if (flat) for (let i = 0; i < flat.length; i += 2) entries.set(flat[i], flat[i + 1]);
    for (const [enc, until] of recent.get(conversation) ?? []) entries.set(enc, Math.max(until, entries.get(enc) ?? -Infinity));
    const timeline = entries.size > 0 ? timelineFromEntries(entries) : undefined;
    memo.set(conversation, timeline);
    return timeline;
  };
}

/**
 * The settled threads after emails sent before `settledBefore` settle. Every reply not yet
 * settled is sent at or after `settledBefore`, so for it the settled emails are all earlier and
 * P is the latest of them still collected. An email can become that P only if every later one
 * leaves W first (it was received later than all of them), and never once it left W: so each
 * conversation keeps the emails, latest first, whose `until` beats every later one's and is not
 * before W's start. That is usually one email per conversation.
 */
export function settleThreads(settled: SettledThreads, recent: RecentThreads, settledBefore: number, windowStart: number): SettledThreads {
  const out: SettledThreads = new Map();
  const limit = settledBefore * 2;
  const keep = (entries: [number, number][]): number[] => {
    entries.sort((a, b) => b[0] - a[0]);
    const kept: number[] = [];
    let reach = windowStart - 1;
    for (const [enc, until] of entries) {
      if (until <= reach) continue;
      kept.push(until, enc); // reversed below
      reach = until;
    }
    return kept.reverse();
  };
  for (const [conversation, flat] of settled) {
    if (recent.has(conversation)) continue;
    // Kept entries' until falls as enc grows: the last one leaves W first.
    if (flat[flat.length - 1] >= windowStart) out.set(conversation, flat);
    else {
      const pairs: [number, number][] = [];
      for (let i = 0; i < flat.length; i += 2) pairs.push([flat[i], flat[i + 1]]);
      const kept = keep(pairs);
      if (kept.length > 0) out.set(conversation, kept);
    }
  }
  for (const [conversation, entries] of recent) {
    const merged = new Map<number, number>();
    const flat = settled.get(conversation);
    if (flat) for (let i = 0; i < flat.length; i += 2) merged.set(flat[i], flat[i + 1]);
    for (const [enc, until] of entries) if (enc < limit) merged.set(enc, Math.max(until, merged.get(enc) ?? -Infinity));
    const kept = keep([...merged]);
    if (kept.length > 0) out.set(conversation, kept);
  }
  return out;
}
