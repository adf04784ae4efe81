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
 */
import type { AccountDirectory } from './account-directory';
import { addressClassifierFor } from './address-classifier';
import { senderOf } from './activities/email-copy';
import { parseGraphDateTime, startOfUtcDay } from './buckets';
import { hashId } from './hashing';
import { createMailboxReducer, type MailboxReducer } from './mailbox-reducer';
import type { EmailEntry, MailboxPartial } from './partial';
import type { GraphEvent, GraphMessage, RunContext, SelectedMailbox } from './types';

/** One mailbox's collection, split for incremental refresh. */
export interface SlicedMailboxPartial {
  /** UTC day start (epoch ms) of receivedDateTime → the partial of the messages received that day. */
  days: Map<number, MailboxPartial>;
  /** The mailbox's meetings (emails, threads empty). */
  meetings: MailboxPartial;
  /**
   * Email key → the S member who sent it, for "pending holder" entries (a copy held by a member
   * who is not a visible recipient): they exist only because the sender was in S, so they must
   * go when the sender leaves S (see restrictToMembers).
   */
  pendingSenders: Map<string, string>;
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

const isPending = (entry: EmailEntry): boolean => entry.s === 'i' && entry.r.length === 0;

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
  const classify = addressClassifierFor(ctx, directory);
  const salt = ctx.hashSalt ?? '';
  const dayReducers = new Map<number, MailboxReducer>();
  const events = createMailboxReducer(ctx, directory, mailbox, excludedFolderIds);
  /** Key → sender, for copies sent by another S member: the only copies that can be pending. */
  const fromOtherMembers = new Map<string, string>();
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
        const sender = senderOf(message, classify)?.memberId ?? null;
        if (sender !== null && sender !== mailbox.id) {
          const key = message.internetMessageId ? hashId(salt, 'msg', message.internetMessageId) : hashId(salt, 'mbxmsg', mailbox.id, message.id);
          fromOtherMembers.set(key, sender);
        }
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
      const pendingSenders = new Map<string, string>();
      for (const [day, reducer] of dayReducers) {
        const partial = reducer.finish();
        days.set(day, partial);
        for (const [key, entry] of partial.emails) {
          const sender = fromOtherMembers.get(key);
          if (sender !== undefined && isPending(entry)) pendingSenders.set(key, sender);
        }
      }
      fromOtherMembers.clear();
      return { days, meetings: events.finish(), pendingSenders, maxReceived };
    },
  };
}

/**
 * Restricts a partial to the mailboxes still in S, in place: member ids outside `members` leave
 * every `m`, and pending holder entries whose sender left S are dropped (a full run with the
 * smaller S would not have made them). With S unchanged this changes nothing.
 */
export function restrictToMembers(partial: MailboxPartial, members: ReadonlySet<string>, pendingSenders?: ReadonlyMap<string, string>): MailboxPartial {
  const keep = (ids: string[]): string[] => (ids.every((id) => members.has(id)) ? ids : ids.filter((id) => members.has(id)));
  partial.mailboxes = keep(partial.mailboxes);
  for (const [key, entry] of partial.emails) {
    if (pendingSenders !== undefined && isPending(entry)) {
      const sender = pendingSenders.get(key);
      if (sender !== undefined && !members.has(sender)) {
        partial.emails.delete(key);
        continue;
      }
    }
    entry.m = keep(entry.m);
  }
  for (const entry of partial.meetings.values()) entry.m = keep(entry.m);
  return partial;
}

/** Drops, in place, the meetings starting before `from` or at/after `to` (either bound optional). */
export function dropMeetingsOutside(partial: MailboxPartial, from: number | null, to: number | null): MailboxPartial {
  for (const [key, entry] of partial.meetings) {
    if ((from !== null && entry.st < from) || (to !== null && entry.st >= to)) partial.meetings.delete(key);
  }
  return partial;
}
