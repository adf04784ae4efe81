/**
 * Reduces one mailbox's streamed pages into a MailboxPartial. Raw Graph objects are never
 * kept: each page is folded into hashed, compact entries as it arrives.
 */
import type { AccountDirectory } from './account-directory';
import { addressClassifierFor } from './address-classifier';
import { normaliseMessage, type EmailCopyContext } from './activities/email-copy';
import { normaliseEvent, type MeetingCopyContext } from './activities/meeting-copy';
import { hashId } from './hashing';
import { emptyPartial, mergeEmailEntry, mergeMeetingEntry, sortUnique, type MailboxPartial } from './partial';
import type { GraphEvent, GraphMessage, RunContext, SelectedMailbox } from './types';

export interface MailboxReducer {
  addMessages(page: readonly GraphMessage[]): void;
  addEvents(page: readonly GraphEvent[]): void;
  /** The mailbox's partial; the reducer must not be used afterwards. */
  finish(): MailboxPartial;
}

export function createMailboxReducer(
  ctx: RunContext,
  directory: AccountDirectory,
  mailbox: SelectedMailbox,
  excludedFolderIds: ReadonlySet<string>,
): MailboxReducer {
  const classify = addressClassifierFor(ctx, directory);
  const salt = ctx.hashSalt ?? '';
  // A conversation's emails share its id: it is hashed once per mailbox, and its timeline is
  // kept as (conversation number, encoded time) pairs in two growing typed arrays, grouped once
  // in finish(): no array per conversation while pages stream in (issue 12, reduction cost).
  const conversations = new Map<string, number>();
  const conversationHashes: string[] = [];
  let timelineOf = new Int32Array(1024);
  let timelineAt = new Float64Array(1024);
  let timelineLength = 0;
  const conversationNumber = (id: string): number => {
    let n = conversations.get(id);
    if (n === undefined) {
      n = conversationHashes.push(hashId(salt, 'conv', id)) - 1;
      conversations.set(id, n);
    }
    return n;
  };
  const conversationHash = (id: string): string => conversationHashes[conversationNumber(id)]!;
  const addToTimeline = (conversation: number, encoded: number): void => {
    if (timelineLength === timelineOf.length) {
      const of = new Int32Array(timelineLength * 2);
      of.set(timelineOf);
      timelineOf = of;
      const at = new Float64Array(timelineLength * 2);
      at.set(timelineAt);
      timelineAt = at;
    }
    timelineOf[timelineLength] = conversation;
    timelineAt[timelineLength++] = encoded;
  };
  const emailContext: EmailCopyContext = { mailbox, excludedFolderIds, classify, salt, conversationHash };
  const meetingContext: MeetingCopyContext = { mailbox, classify, salt };
  const partial = emptyPartial();
  partial.mailboxes = [mailbox.id];
  let finished = false;

  const addContacts = (pairs: readonly [string, string][]): void => {
    for (const [hash, accountId] of pairs) if (!partial.contacts.has(hash)) partial.contacts.set(hash, accountId);
  };
  const assertOpen = (): void => {
    if (finished) throw new Error('The mailbox reducer was already finished.');
  };

  return {
    addMessages(page) {
      assertOpen();
      for (const message of page) {
        const copy = normaliseMessage(message, emailContext);
        if (copy === null) continue;
        if (copy.threaded) addToTimeline(conversationNumber(message.conversationId!), copy.sentAt * 2 + (copy.senderInternal ? 1 : 0));
        if (copy.entry === null) continue;
        addContacts(copy.contacts);
        const existing = partial.emails.get(copy.key);
        if (existing) mergeEmailEntry(existing, copy.entry);
        else partial.emails.set(copy.key, copy.entry);
      }
    },
    addEvents(page) {
      assertOpen();
      for (const event of page) {
        const copy = normaliseEvent(event, meetingContext);
        if (copy === null) continue;
        addContacts(copy.contacts);
        const existing = partial.meetings.get(copy.key);
        if (existing) mergeMeetingEntry(existing, copy.entry);
        else partial.meetings.set(copy.key, copy.entry);
      }
    },
    finish() {
      assertOpen();
      finished = true;
      // Counting sort by conversation number, then each timeline sorted and unique.
      const starts = new Int32Array(conversationHashes.length + 1);
      for (let i = 0; i < timelineLength; i++) starts[timelineOf[i]! + 1]!++;
      for (let n = 0; n < conversationHashes.length; n++) starts[n + 1]! += starts[n]!;
      const grouped = new Float64Array(timelineLength);
      const next = starts.slice(0, conversationHashes.length);
      for (let i = 0; i < timelineLength; i++) grouped[next[timelineOf[i]!]!++] = timelineAt[i]!;
      for (let n = 0; n < conversationHashes.length; n++) {
        const from = starts[n]!;
        const to = starts[n + 1]!;
        // Most conversations hold one or two of the mailbox's emails: no sort call for those.
        let timeline: number[];
        if (to - from === 1) timeline = [grouped[from]!];
        else if (to - from === 2) {
          const a = grouped[from]!;
          const b = grouped[from + 1]!;
          timeline = a === b ? [a] : a < b ? [a, b] : [b, a];
        } else timeline = sortUnique(Array.from(grouped.subarray(from, to)));
        partial.threads.set(conversationHashes[n]!, timeline);
      }
      conversations.clear();
      return partial;
    },
  };
}
