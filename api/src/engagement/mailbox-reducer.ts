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
  // A conversation's emails share its id: hash it once per mailbox (dropped in finish()).
  const conversations = new Map<string, string>();
  const conversationHash = (id: string): string => {
    let hashed = conversations.get(id);
    if (hashed === undefined) conversations.set(id, (hashed = hashId(salt, 'conv', id)));
    return hashed;
  };
  const emailContext: EmailCopyContext = { mailbox, excludedFolderIds, classify, salt, conversationHash };
  const meetingContext: MeetingCopyContext = { mailbox, classify, salt };
  const partial = emptyPartial();
  partial.mailboxes = [mailbox.id];
  // Timelines are appended to while the mailbox streams in, and sorted once in finish().
  const threads = new Map<string, number[]>();
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
        if (copy.conversation !== null) {
          const encoded = copy.sentAt * 2 + (copy.senderInternal ? 1 : 0);
          const timeline = threads.get(copy.conversation);
          if (timeline) timeline.push(encoded);
          else threads.set(copy.conversation, [encoded]);
        }
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
      for (const [conversation, timeline] of threads) partial.threads.set(conversation, sortUnique(timeline));
      threads.clear();
      conversations.clear();
      return partial;
    },
  };
}
